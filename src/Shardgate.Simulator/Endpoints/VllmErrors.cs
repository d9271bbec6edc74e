using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Shardgate.Simulator.Endpoints;

/// <summary>Error bodies in the shape recent vLLM servers send: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal static class VllmErrors
{
    public static async Task WriteAsync(HttpContext context, int status, string type, string message, string? param = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            if (param is null)
            {
                writer.WriteNull("param");
            }
            else
            {
                writer.WriteString("param", param);
            }

            writer.WriteNumber("code", status);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public static string TypeFor(int status) => status switch
    {
        400 => "BadRequestError",
        404 => "NotFoundError",
        429 => "TooManyRequestsError",
        503 => "ServiceUnavailableError",
        _ => "InternalServerError",
    };
}
