using System.ComponentModel.DataAnnotations;

namespace Shardgate.Contract.Tokens;

/// <summary>How the gateway counts prompt tokens before a host has (<c>Shardgate:Tokens</c>; see docs/ledger.md).</summary>
internal sealed record TokenCountOptions
{
    /// <summary>
    /// The starting correction per family (<c>kimi</c>, <c>qwen</c>, <c>minimax</c>, <c>generic</c>): hosts' reported
    /// prompt tokens ÷ the gateway's count. Hosts' usage then moves it (<see cref="TokenCalibration"/>).
    /// </summary>
    public Dictionary<string, double> Factors { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The safety margin around the corrected count: reservations hold count × (1 + margin), and the gateway refuses
    /// a prompt as too long for every host only when count × (1 − margin) is.
    /// </summary>
    [Range(0.0, 1.0)]
    public double Margin { get; init; } = 0.15;

    /// <summary>Counts kept for long messages, keyed by their hash: a conversation's history is counted once, not every turn.</summary>
    [Range(0, 10_000_000)]
    public int CachedMessages { get; init; } = 65_536;
}
