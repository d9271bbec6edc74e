namespace Shardgate.Kernel;

/// <summary>The <see cref="IReplicaBus"/> topics, and what a message on each carries.</summary>
internal static class ReplicaTopics
{
    /// <summary>A host's health changed state: the state itself (see <c>HealthTracker</c>).</summary>
    public const string Health = "health";

    /// <summary>Nodes changed in the store: reload them. The message is the node's id.</summary>
    public const string Nodes = "nodes";

    /// <summary>Prices changed in the store: reload them. The message is the model.</summary>
    public const string Prices = "prices";

    /// <summary>A key was revoked or its limits changed: forget it. The message is its digest, in hex.</summary>
    public const string Keys = "keys";
    public const string Catalog = "catalog";
}
