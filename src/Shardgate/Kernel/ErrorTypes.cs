namespace Shardgate.Kernel;

/// <summary><c>error.type</c> values, following OpenAI's where OpenAI has one.</summary>
internal static class ErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string RateLimit = "rate_limit_error";
    public const string Upstream = "upstream_error";
    public const string Server = "server_error";
    public const string InsufficientQuota = "insufficient_quota";
}
