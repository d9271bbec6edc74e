using Microsoft.AspNetCore.Http;
using Shardgate.Ledger;

namespace Shardgate.Admission;

/// <summary>
/// Where the counters that must hold across replicas live. In this process (<see cref="KeyRateLimiter"/>: the key's
/// limits, exact on one replica, the model's counts being <see cref="ModelAdmission"/>'s), or in Redis
/// (<c>SHARDGATE_REDIS</c>): the key's limits and the model's admission counts together, exact across replicas.
/// </summary>
internal interface IAdmissionLimiter
{
    /// <summary>
    /// Admits a request of about <paramref name="estimatedTokens"/> for <paramref name="slot"/>'s model or says which
    /// limit refused it (<see cref="Kernel.ErrorCodes.ModelSaturated"/> for the model's); writes the <c>x-ratelimit-*</c> headers.
    /// </summary>
    ValueTask<RateDecision> TryAdmitAsync(KeyIdentity identity, ModelSlot slot, long estimatedTokens, HttpResponse response, CancellationToken cancellationToken);

    /// <summary>
    /// Ends an admitted request: frees its slots and corrects the key's token estimate (null when the key is
    /// unlimited) to actual use. Never blocks the caller.
    /// </summary>
    void Complete(KeyIdentity identity, ModelSlot slot, long? estimatedTokens, long actualTokens);
}
