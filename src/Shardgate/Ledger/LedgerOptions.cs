using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Ledger;

/// <summary>Money settings (section <c>Shardgate:Ledger</c>). All amounts are integer ngonka (1 GNK = 10^9 ngonka).</summary>
internal sealed record LedgerOptions
{
    /// <summary>Credited to every new account.</summary>
    [Range(0L, long.MaxValue, ErrorMessage = SettingLimits.AtLeast)]
    public long FreeGrant { get; init; }

    /// <summary>
    /// The least a replica takes from an account's balance into its local lease at once; requests are then reserved
    /// against the lease in memory, so the account's row is written per lease, not per request.
    /// </summary>
    [Range(1L, long.MaxValue, ErrorMessage = SettingLimits.AtLeast)]
    public long LeaseChunk { get; init; } = 100_000_000;

    /// <summary>A lease unused this long goes back to the account, so other replicas can use the money.</summary>
    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan LeaseIdle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Identifies this replica's leases; leases of this owner found at start are left from a crash and released.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "must name this replica")]
    public string Owner { get; init; } = "local";
}
