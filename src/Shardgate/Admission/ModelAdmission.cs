using System.Collections.Concurrent;
using System.Globalization;
using Shardgate.Network;

namespace Shardgate.Admission;

/// <summary>
/// Counts requests and estimated input tokens in flight, per model and in all, and refuses a request that would pass
/// a limit, before any host is picked: an overloaded model answers fast with 429 instead of queueing at its hosts.
/// </summary>
internal sealed class ModelAdmission(AdmissionOptions options)
{
    private readonly ConcurrentDictionary<string, InFlight> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModelAdmissionOptions> _limits = new(options.Models, StringComparer.OrdinalIgnoreCase);
    private readonly InFlight _global = new();

    /// <summary>Requests admitted and not yet ended, all models together.</summary>
    public long RequestsInFlight => _global.Requests;

    public ModelSlot? TryEnter(ModelShard shard, long inputTokens, out string? refusal)
    {
        var limits = _limits.GetValueOrDefault(shard.ModelId);
        var modelRequests = Smallest(limits?.MaxConcurrent ?? 0, DynamicCap(shard));
        var modelTokens = limits?.MaxInputTokensInFlight ?? 0;
        var model = _models.GetOrAdd(shard.ModelId, static _ => new InFlight());
        if (!model.TryAdd(inputTokens, modelRequests, modelTokens, out var what))
        {
            refusal = Saturated(shard.ModelId, what!);
            return null;
        }

        if (!_global.TryAdd(inputTokens, options.MaxConcurrent, options.MaxInputTokensInFlight, out what))
        {
            model.Remove(inputTokens);
            refusal = string.Create(CultureInfo.InvariantCulture, $"The gateway is at its admission limit ({what}).");
            return null;
        }

        refusal = null;
        return new ModelSlot(shard.ModelId, inputTokens, modelRequests, modelTokens);
    }

    public void Exit(ModelSlot ticket)
    {
        _global.Remove(ticket.InputTokens);
        if (_models.TryGetValue(ticket.Model, out var model))
        {
            model.Remove(ticket.InputTokens);
        }
    }

    /// <summary>The words of a model's admission refusal, the same whichever replica or store counted.</summary>
    public static string Saturated(string model, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"Model '{model}' is at its admission limit ({what}).");

    /// <summary>This replica's requests and input tokens in flight per model: the truth it re-asserts to shared state.</summary>
    public IEnumerable<(string Model, long Requests, long Tokens)> Counts()
    {
        foreach (var (model, inFlight) in _models)
        {
            var (requests, tokens) = inFlight.Snapshot();
            yield return (model, requests, tokens);
        }
    }

    private long DynamicCap(ModelShard shard)
    {
        if (options.ConcurrentPer10000Weight <= 0)
        {
            return 0;
        }

        var weight = 0.0;
        for (var i = 0; i < shard.Hosts.Count; i++)
        {
            weight += shard.Hosts[i].Weight;
        }

        // A shard with weight gets at least one request, or a small shard would refuse everything.
        return Math.Max(1, (long)Math.Floor(weight * options.ConcurrentPer10000Weight / 10_000));
    }

    private static long Smallest(long a, long b) => a <= 0 ? b : b <= 0 ? a : Math.Min(a, b);

    private sealed class InFlight
    {
        private readonly Lock _gate = new();
        private long _requests;
        private long _tokens;

        public long Requests => Volatile.Read(ref _requests);

        public bool TryAdd(long tokens, long maxRequests, long maxTokens, out string? what)
        {
            lock (_gate)
            {
                if (maxRequests > 0 && _requests + 1 > maxRequests)
                {
                    what = string.Create(CultureInfo.InvariantCulture, $"{_requests} requests in flight, limit {maxRequests}");
                    return false;
                }

                if (maxTokens > 0 && _tokens + tokens > maxTokens)
                {
                    what = string.Create(CultureInfo.InvariantCulture, $"{_tokens} input tokens in flight, limit {maxTokens}");
                    return false;
                }

                _requests++;
                _tokens += tokens;
                what = null;
                return true;
            }
        }

        public (long Requests, long Tokens) Snapshot()
        {
            lock (_gate)
            {
                return (_requests, _tokens);
            }
        }

        public void Remove(long tokens)
        {
            lock (_gate)
            {
                _requests--;
                _tokens -= tokens;
            }
        }
    }
}
