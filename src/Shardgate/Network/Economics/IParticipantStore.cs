namespace Shardgate.Network.Economics;

/// <summary>Hosts' per-epoch figures (added to, never rewritten) and host operators' keys, stored as SHA-256 hashes only.</summary>
internal interface IParticipantStore
{
    /// <summary>Adds each row's counts to the stored ones for its host, epoch and model.</summary>
    Task AddStatsAsync(IReadOnlyCollection<HostEpochStats> rows, CancellationToken cancellationToken);

    /// <summary>Rows for one host, or every host when <paramref name="nodeId"/> is null; newest epoch first.</summary>
    Task<IReadOnlyList<HostEpochStats>> ListStatsAsync(string? nodeId, CancellationToken cancellationToken);

    Task CreateOperatorKeyAsync(string participant, byte[] hash, string displayPrefix, CancellationToken cancellationToken);

    /// <summary>The participant an operator key belongs to; null for an unknown key.</summary>
    Task<string?> FindOperatorAsync(byte[] hash, CancellationToken cancellationToken);
}
