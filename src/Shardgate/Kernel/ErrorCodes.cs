namespace Shardgate.Kernel;

/// <summary>Stable <c>error.code</c> values. Clients may branch on them; never rename one.</summary>
internal static class ErrorCodes
{
    public const string InvalidApiKey = "invalid_api_key";
    public const string TooManyFailedAuth = "too_many_failed_authentications";
    public const string InvalidJson = "invalid_json";
    public const string InvalidContentType = "invalid_content_type";
    public const string RequestTooLarge = "request_too_large";
    public const string ModelNotFound = "model_not_found";
    public const string ContextLengthExceeded = "context_length_exceeded";
    public const string UpstreamRejected = "upstream_rejected";
    public const string ModelSaturated = "model_saturated";
    public const string UpstreamUnavailable = "upstream_unavailable";
    public const string ModelUnavailable = "model_unavailable";
    public const string NetworkPoc = "network_poc";
    public const string UpstreamStreamInterrupted = "upstream_stream_interrupted";
    public const string NotFound = "not_found";
    public const string InvalidNode = "invalid_node";
    public const string InvalidArgument = "invalid_argument";
    public const string InsufficientQuota = "insufficient_quota";
    public const string CsrfTokenInvalid = "csrf_token_invalid";
    public const string ModelRetired = "model_retired";
    public const string InvalidCatalog = "invalid_catalog";
    public const string ToolCallNotMade = "tool_call_not_made";
}
