namespace Shardgate.Ledger;

/// <summary>A customer account; keys belong to it.</summary>
internal sealed record Account(long Id, string Name, DateTimeOffset CreatedAt);
