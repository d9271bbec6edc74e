using Microsoft.AspNetCore.Http;

namespace Shardgate.Api;

/// <summary>
/// Marks a request that came in through the Anthropic Messages API, so every error written for it — by any stage —
/// takes Anthropic's shape (<c>{"type":"error","error":{"type","message"}}</c>) and status meanings.
/// </summary>
internal sealed class AnthropicDialect
{
    public static AnthropicDialect Instance { get; } = new();

    public static bool IsOn(HttpContext context) => context.Features.Get<AnthropicDialect>() is not null;

    /// <summary>Anthropic's error type and status for a gateway error; shard saturation is 529 <c>overloaded_error</c>.</summary>
    public static (int Status, string Type) Map(OpenAiError error) => error.Status switch
    {
        StatusCodes.Status429TooManyRequests when error.Code == ErrorCodes.ModelSaturated => (529, "overloaded_error"),
        StatusCodes.Status429TooManyRequests => (429, "rate_limit_error"),
        StatusCodes.Status401Unauthorized => (401, "authentication_error"),
        StatusCodes.Status402PaymentRequired => (402, "billing_error"),
        StatusCodes.Status403Forbidden => (403, "permission_error"),
        StatusCodes.Status404NotFound => (404, "not_found_error"),
        StatusCodes.Status413PayloadTooLarge => (413, "request_too_large"),
        >= 500 => (error.Status, "api_error"),
        _ => (error.Status, "invalid_request_error"),
    };
}
