using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Shardgate.Kernel;

namespace Shardgate.Ledger;

/// <summary>Money settings (section <c>Shardgate:Ledger</c>). All amounts are integer ngonka (1 GNK = 10^9 ngonka).</summary>
internal sealed record LedgerOptions : IValidatableObject
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

    public const string LocalOwner = "local";

    /// <summary>
    /// Identifies this replica's leases; leases of this owner found at start are left from a crash and released. Over
    /// PostgreSQL the default, <c>local</c>, becomes unique per process (<see cref="ForDatabase"/>): replicas that
    /// shared an owner would release each other's leases at start.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "must name this replica")]
    public string Owner { get; init; } = LocalOwner;

    /// <summary>
    /// A lease its replica has not renewed for this long is taken for a dead replica's: another replica returns it to
    /// the account. Replicas renew theirs every <see cref="LeaseIdle"/> ÷ 2.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", SettingLimits.LongestSpan, ErrorMessage = SettingLimits.Between)]
    public TimeSpan OwnerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A live replica renews every LeaseIdle ÷ 2; a shorter timeout would have its leases taken while it serves.
        if (OwnerTimeout <= LeaseIdle)
        {
            yield return new ValidationResult(string.Create(CultureInfo.InvariantCulture, $"must be longer than Shardgate:Ledger:LeaseIdle ({LeaseIdle:c}), or the other replicas take a live replica's leases"), [nameof(OwnerTimeout)]);
        }
    }

    public LedgerOptions ForDatabase(bool shared) => shared && Owner == LocalOwner ? this with { Owner = ReplicaId.New() } : this;
}
