using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract.Anthropic;

/// <summary>Anthropic's error shape, <c>{"type":"error","error":{"type","message"}}</c>, and its status meanings.</summary>
internal static class AnthropicErrors
{
    /// <summary>Anthropic's error type and status for a gateway error; shard saturation is 529 <c>overloaded_error</c>.</summary>
    public static (int Status, string Type) Map(GatewayError error) => error.Status switch
    {
        429 when error.Code == ErrorCodes.ModelSaturated => (529, "overloaded_error"),
        429 => (429, "rate_limit_error"),
        401 => (401, "authentication_error"),
        402 => (402, "billing_error"),
        403 => (403, "permission_error"),
        404 => (404, "not_found_error"),
        410 => (410, "not_found_error"),
        413 => (413, "request_too_large"),
        >= 500 => (error.Status, "api_error"),
        _ => (error.Status, "invalid_request_error"),
    };

    public static void WriteTo(Utf8JsonWriter w, GatewayError error)
    {
        w.WriteStartObject();
        w.WriteString("type", "error");
        w.WriteStartObject("error");
        w.WriteString("type", Map(error).Type);
        w.WriteString("message", error.Message);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
