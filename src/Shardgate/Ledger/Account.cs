namespace Shardgate.Ledger;

/// <summary>A customer account; keys belong to it.</summary>
internal sealed record Account(long Id, string Name, DateTimeOffset CreatedAt)
{
    /// <summary>Whether the account's requests may be replayed to another host to validate the one that answered.</summary>
    public bool ValidationSampling { get; init; } = true;
}
