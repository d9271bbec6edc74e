using Shardgate.Contract;

namespace Shardgate.Network.Validation;

/// <summary>
/// Decides, before a request is forwarded, whether it will be replayed: a share of <see cref="ValidationOptions.Fraction"/>,
/// at most <see cref="ValidationOptions.MaxPerMinute"/> (a token bucket), only for a single-choice request on a shard
/// with another host to replay on. A sampled request asks its host for log probabilities, which the client does not
/// see unless it asked for them.
/// </summary>
internal sealed class ValidationSampler(ValidationOptions options, TimeProvider time, Random random)
{
    private readonly Lock _gate = new();
    private double _tokens = options.MaxPerMinute;
    private long _refilledAt = time.GetTimestamp();

    public ValidationSampler(ValidationOptions options, TimeProvider time)
        : this(options, time, Random.Shared)
    {
    }

    public bool Active => options.Enabled && options.AccountId is not null && options.Fraction > 0;

    public bool TrySample(long accountId, ContractContext request, ModelShard shard)
    {
        if (!Active || accountId == options.AccountId || request.Choices != 1 || shard.Hosts.Count < 2 || random.NextDouble() >= options.Fraction)
        {
            return false;
        }

        lock (_gate)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(options.MaxPerMinute, _tokens + (time.GetElapsedTime(_refilledAt, now).TotalMinutes * options.MaxPerMinute));
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
        }

        request.ForceLogprobs();
        return true;
    }
}
