using Microsoft.AspNetCore.Http;
using Shardgate.Ledger;

namespace Shardgate.Admission;

/// <summary>
/// Where a key's rate and concurrency counters live: in this process (<see cref="KeyRateLimiter"/>, exact on one
/// replica), or shared by every replica (Redis, <c>SHARDGATE_REDIS</c>), exact across them.
/// </summary>
internal interface IKeyLimiter
{
    /// <summary>Admits a request of about <paramref name="estimatedTokens"/> or says which limit refused it; writes the <c>x-ratelimit-*</c> headers.</summary>
    ValueTask<RateDecision> TryAdmitAsync(KeyIdentity identity, string model, long estimatedTokens, HttpResponse response, CancellationToken cancellationToken);

    /// <summary>Ends an admitted request: frees its concurrency slot and corrects the token estimate to actual use. Never blocks the caller.</summary>
    void Complete(KeyIdentity identity, long estimatedTokens, long actualTokens);
}
