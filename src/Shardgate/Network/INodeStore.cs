using Shardgate.Network;

namespace Shardgate.Network;

/// <summary>Persisted node registrations.</summary>
internal interface INodeStore
{
    Task<IReadOnlyList<NodeSpec>> ListAsync(CancellationToken cancellationToken);

    Task<NodeSpec?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a node; true when it was created.</summary>
    Task<bool> UpsertAsync(NodeSpec node, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
