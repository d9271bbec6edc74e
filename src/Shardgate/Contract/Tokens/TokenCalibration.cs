using System.Collections.Concurrent;

namespace Shardgate.Contract.Tokens;

/// <summary>
/// Per family (or per model with its own tokenizer), how the gateway's count compares with the prompt tokens hosts
/// report: the correction factor, which starts at the configured value and follows hosts' usage (a running mean
/// for the first 50 answers, then an exponential average weighting each new one 2%), and the mean relative error of
/// the corrected count. Each replica learns on its own.
/// </summary>
internal sealed class TokenCalibration(TokenCountOptions options)
{
    // Below this a chat template's fixed tokens dominate the ratio.
    private const int MinimumCounted = 32;
    private const double Weight = 0.02;
    private const double MinFactor = 0.5;
    private const double MaxFactor = 2.0;

    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.OrdinalIgnoreCase);

    public PromptTokens Correct(string key, int counted) => PromptTokens.Corrected(counted, Get(key).Factor, options.Margin);

    /// <summary>Learns from one answer's usage: the host's prompt tokens for a prompt the gateway counted.</summary>
    public void Observe(string key, int counted, int reported)
    {
        if (counted < MinimumCounted || reported <= 0)
        {
            return;
        }

        Get(key).Observe(counted, reported);
    }

    public IReadOnlyList<TokenCalibrationView> Views() =>
        [.. _states.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value.View(s.Key, options.Margin))];

    private State Get(string key) => _states.GetOrAdd(key, k => new State(options.Factors.TryGetValue(k, out var f) && f > 0 ? f : 1.0));

    private sealed class State(double factor)
    {
        private readonly Lock _lock = new();
        private double _factor = factor;
        private double _error;
        private long _samples;

        public double Factor
        {
            get
            {
                lock (_lock)
                {
                    return _factor;
                }
            }
        }

        public void Observe(int counted, int reported)
        {
            lock (_lock)
            {
                var error = Math.Abs((counted * _factor) - reported) / reported;
                _samples++;
                var weight = Math.Max(Weight, 1.0 / Math.Min(_samples, 50));
                // Bounded, so a host reporting nonsense cannot shrink reservations to nothing or inflate them tenfold.
                _factor = Math.Clamp(_factor + (weight * (((double)reported / counted) - _factor)), MinFactor, MaxFactor);
                _error += weight * (error - _error);
            }
        }

        public TokenCalibrationView View(string key, double margin)
        {
            lock (_lock)
            {
                return new TokenCalibrationView(key, Math.Round(_factor, 4), margin, _samples, Math.Round(_error, 4));
            }
        }
    }
}
