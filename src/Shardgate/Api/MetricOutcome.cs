using Microsoft.AspNetCore.Http;
using Shardgate.Kernel;

namespace Shardgate.Api;

/// <summary>
/// The <c>outcome</c> tag of <c>shardgate.requests</c>: the log's outcome, with refusals told apart by who refused
/// (the contract, the key, the balance, the key's limits), since an operator acts differently on each.
/// </summary>
internal static class MetricOutcome
{
    public const string Served = "served";
    public const string Interrupted = "interrupted";
    public const string ClientDisconnected = "client_disconnected";
    public const string Rejected = "rejected";
    public const string Unauthorized = "unauthorized";
    public const string InsufficientBalance = "insufficient_balance";
    public const string RateLimited = "rate_limited";
    public const string Saturated = "saturated";
    public const string HostFailed = "host_failed";

    public static string Of(string outcome, int status) => outcome switch
    {
        RequestOutcome.Completed => Served,
        RequestOutcome.Incomplete => Interrupted,
        RequestOutcome.ClientDisconnected => ClientDisconnected,
        RequestOutcome.Saturated => Saturated,
        RequestOutcome.UpstreamFailed => HostFailed,
        _ => status switch
        {
            StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => Unauthorized,
            StatusCodes.Status402PaymentRequired => InsufficientBalance,
            StatusCodes.Status429TooManyRequests => RateLimited,
            _ => Rejected,
        },
    };
}
