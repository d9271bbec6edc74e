using System.Text.Encodings.Web;
using System.Text.Json;

namespace Shardgate.Kernel;

/// <summary>
/// Why the gateway refused or failed a request: the HTTP status, OpenAI's <c>error.type</c>, a stable
/// <see cref="ErrorCodes">code</see>, a message that says what to do, and the offending field. Any stage can produce
/// one; only the API writes it, in the shape of the API the request came through.
/// </summary>
internal readonly record struct GatewayError(int Status, string Type, string Code, string Message, string? Param = null)
{
    // Messages are read by people: keep quotes and non-ASCII as they are (the body is JSON, never HTML).
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>OpenAI's shape, the gateway's own: <c>{"error":{"message","type","param","code"}}</c>.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WritePropertyName("error");
        WriteObject(w);
        w.WriteEndObject();
    }

    /// <summary>The inner object of <see cref="WriteTo"/>: <c>{"message","type","param","code"}</c>.</summary>
    public void WriteObject(Utf8JsonWriter w)
    {
        w.WriteStartObject();
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
    }

    public static GatewayError BadRequest(string code, string message, string? param = null) =>
        new(400, ErrorTypes.InvalidRequest, code, message, param);

    public static GatewayError MissingApiKey { get; } =
        Unauthorized("Invalid or missing API key. Send 'Authorization: Bearer sg-…' (or 'x-api-key: sg-…') with a key issued by this gateway.");

    public static GatewayError Unauthorized(string message) =>
        new(401, ErrorTypes.InvalidRequest, ErrorCodes.InvalidApiKey, message);

    public static GatewayError RequestTooLarge { get; } = new(
        413,
        ErrorTypes.InvalidRequest,
        ErrorCodes.RequestTooLarge,
        "The request body is larger than 10 MiB. Shorten the conversation or send large documents in parts.");

    public static GatewayError NotFound(string message) =>
        new(404, ErrorTypes.InvalidRequest, ErrorCodes.NotFound, message);
}
