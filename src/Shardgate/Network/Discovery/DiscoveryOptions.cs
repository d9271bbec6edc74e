using System.ComponentModel.DataAnnotations;

namespace Shardgate.Network.Discovery;

/// <summary>Hosts from the chain (section <c>Shardgate:Network:Discovery</c>); used when the network source is <c>gonka</c>.</summary>
internal sealed record DiscoveryOptions
{
    /// <summary>Whether the epoch's participants become hosts beside the admin-registered nodes.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Requests in flight a discovered host takes at once, unless its override says otherwise.</summary>
    [Range(1, 100_000, ErrorMessage = "must be between {1} and {2}")]
    public int MaxConcurrent { get; init; } = 32;

    /// <summary>The operator's word on discovered hosts, by participant address (<c>gonka1…</c>).</summary>
    public IReadOnlyDictionary<string, DiscoveredHostOverride> Hosts { get; init; } = new Dictionary<string, DiscoveredHostOverride>();
}
