using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Shardgate.Api;

/// <summary>An error in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal readonly record struct OpenAiError(int Status, string Type, string Code, string Message, string? Param = null)
{
    // Messages are read by people: keep quotes and non-ASCII as they are (the body is JSON, never HTML).
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", Message);
        w.WriteString("type", Type);
        if (Param is null)
        {
            w.WriteNull("param");
        }
        else
        {
            w.WriteString("param", Param);
        }

        w.WriteString("code", Code);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Anthropic's shape: <c>{"type":"error","error":{"type","message"}}</c>, with its error type.</summary>
    public void WriteAnthropicTo(Utf8JsonWriter w, string type)
    {
        w.WriteStartObject();
        w.WriteString("type", "error");
        w.WriteStartObject("error");
        w.WriteString("type", type);
        w.WriteString("message", Message);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The status this error is answered with for the request: the Anthropic API has its own for some.</summary>
    public int StatusFor(HttpContext context) => AnthropicDialect.IsOn(context) ? AnthropicDialect.Map(this).Status : Status;

    /// <summary>Writes the error as the answer, in the shape of the API the request came through.</summary>
    public async Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        var anthropic = AnthropicDialect.IsOn(context);
        var (status, anthropicType) = anthropic ? AnthropicDialect.Map(this) : (Status, Type);
        response.StatusCode = status;
        using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            if (anthropic)
            {
                WriteAnthropicTo(writer, anthropicType);
            }
            else
            {
                WriteTo(writer);
            }
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public static OpenAiError BadRequest(string code, string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, ErrorTypes.InvalidRequest, code, message, param);

    public static OpenAiError MissingApiKey { get; } =
        Unauthorized("Invalid or missing API key. Send 'Authorization: Bearer sg-…' (or 'x-api-key: sg-…') with a key issued by this gateway.");

    public static OpenAiError Unauthorized(string message) =>
        new(StatusCodes.Status401Unauthorized, ErrorTypes.InvalidRequest, ErrorCodes.InvalidApiKey, message);

    public static OpenAiError RequestTooLarge { get; } = new(
        StatusCodes.Status413PayloadTooLarge,
        ErrorTypes.InvalidRequest,
        ErrorCodes.RequestTooLarge,
        "The request body is larger than 10 MiB. Shorten the conversation or send large documents in parts.");

    public static OpenAiError NotFound(string message) =>
        new(StatusCodes.Status404NotFound, ErrorTypes.InvalidRequest, ErrorCodes.NotFound, message);
}
