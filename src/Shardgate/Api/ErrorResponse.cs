using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shardgate.Contract;
using Shardgate.Contract.Anthropic;
using Shardgate.Kernel;

namespace Shardgate.Api;

/// <summary>Writes a <see cref="GatewayError"/> as the answer, in the shape of the API the request came through.</summary>
internal static class ErrorResponse
{
    /// <summary>The status the client gets: the Anthropic API has its own for some errors.</summary>
    public static int StatusOf(GatewayError error, ApiDialect dialect) =>
        dialect == ApiDialect.Anthropic ? AnthropicErrors.Map(error).Status : error.Status;

    public static async Task WriteAsync(HttpContext context, GatewayError error, ApiDialect dialect = ApiDialect.OpenAi, long? retryAfterSeconds = null)
    {
        var response = context.Response;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        response.ContentType = "application/json";
        response.StatusCode = StatusOf(error, dialect);
        using (var writer = new Utf8JsonWriter(response.BodyWriter, GatewayError.WriterOptions))
        {
            if (dialect == ApiDialect.Anthropic)
            {
                AnthropicErrors.WriteTo(writer, error);
            }
            else
            {
                error.WriteTo(writer);
            }
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
