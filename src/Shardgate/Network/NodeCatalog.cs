using Shardgate.Kernel;
using Shardgate.Network.Discovery;

namespace Shardgate.Network;

/// <summary>Node changes: each goes to the store first, then the routing view is rebuilt from the store, and the other replicas are told to rebuild theirs.</summary>
internal sealed class NodeCatalog(INodeStore store, HostRegistry registry, IReplicaBus bus, DiscoveredHosts? discovered = null)
{
    public Task<IReadOnlyList<NodeSpec>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public Task<NodeSpec?> GetAsync(string id, CancellationToken cancellationToken) => store.GetAsync(id, cancellationToken);

    /// <summary>Validates, checks that no other node has the same endpoint, stores, reloads. Returns the errors, or null.</summary>
    public async Task<(bool Created, IReadOnlyList<string>? Errors)> UpsertAsync(NodeSpec node, CancellationToken cancellationToken)
    {
        var errors = NodeValidator.Validate(node);
        if (errors.Count > 0)
        {
            return (false, errors);
        }

        var endpoint = node.ResolveBaseUri();
        foreach (var other in await store.ListAsync(cancellationToken))
        {
            if (other.Id != node.Id && other.ResolveBaseUri() == endpoint)
            {
                return (false, [$"duplicate inference endpoint {endpoint} (already used by node '{other.Id}')"]);
            }
        }

        var created = await store.UpsertAsync(node, cancellationToken);
        await ReloadAsync(cancellationToken);
        bus.Publish(ReplicaTopics.Nodes, node.Id);
        return (created, null);
    }

    public async Task<NodeSpec?> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var node = await store.GetAsync(id, cancellationToken);
        if (node is not null && await store.DeleteAsync(id, cancellationToken))
        {
            await ReloadAsync(cancellationToken);
            bus.Publish(ReplicaTopics.Nodes, id);
        }

        return node;
    }

    public async Task<NodeSpec?> SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken)
    {
        var node = await store.GetAsync(id, cancellationToken);
        if (node is null)
        {
            return null;
        }

        node = node with { Enabled = enabled };
        await store.UpsertAsync(node, cancellationToken);
        await ReloadAsync(cancellationToken);
        bus.Publish(ReplicaTopics.Nodes, id);
        return node;
    }

    /// <summary>Rebuilds routing from the stored nodes and the discovered hosts.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken) =>
        registry.Load(WithDiscovered(await store.ListAsync(cancellationToken)).Select(n => n.Node));

    /// <summary>The stored nodes, then the discovered hosts no stored node shadows: a stored node wins over a discovered host of the same id.</summary>
    public IEnumerable<(NodeSpec Node, bool Discovered)> WithDiscovered(IReadOnlyList<NodeSpec> stored)
    {
        var ids = stored.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        return stored.Select(n => (n, false)).Concat((discovered?.Nodes ?? []).Where(n => !ids.Contains(n.Id)).Select(n => (n, true)));
    }
}
