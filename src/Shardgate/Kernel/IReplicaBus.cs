namespace Shardgate.Kernel;

/// <summary>
/// News for the other replicas: a state change each must apply now rather than at its next periodic reload
/// (health, nodes, prices, keys). Delivery is best effort and fast; the stores stay the truth and the periodic
/// reloads the safety net. A single process has nobody to tell (<see cref="NoReplicaBus"/>).
/// </summary>
internal interface IReplicaBus
{
    /// <summary>Sends <paramref name="message"/> on <paramref name="topic"/> to every other replica; returns at once.</summary>
    void Publish(string topic, string message);

    /// <summary>
    /// Calls <paramref name="handler"/> for each message another replica publishes on <paramref name="topic"/>. The
    /// task ends once the subscription holds, or once the bus has stopped waiting for it and goes on trying in the
    /// background: a replica starts, and serves, with its shared state down.
    /// </summary>
    Task SubscribeAsync(string topic, Action<string> handler, CancellationToken cancellationToken);
}
