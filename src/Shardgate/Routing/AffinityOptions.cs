using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Routing;

/// <summary>Prompt-cache affinity (section <c>Shardgate:Affinity</c>).</summary>
internal sealed record AffinityOptions
{
    /// <summary>Prefix hashes remembered (LRU); memory stays bounded whatever the traffic.</summary>
    [Range(0, 10000000, ErrorMessage = SettingLimits.Between)]
    public int Entries { get; init; } = 100_000;

    /// <summary>
    /// How much busier (in utilization, in-flight ÷ max_concurrent) the preferred host may be than the least-loaded
    /// one before affinity is broken rather than overloading it.
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = SettingLimits.Between)]
    public double LoadWindow { get; init; } = 0.25;
}
