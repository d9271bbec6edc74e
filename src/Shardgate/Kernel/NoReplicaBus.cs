namespace Shardgate.Kernel;

/// <summary>The bus of a gateway that runs alone: nothing to send, nothing to hear.</summary>
internal sealed class NoReplicaBus : IReplicaBus
{
    public static NoReplicaBus Instance { get; } = new();

    public void Publish(string topic, string message)
    {
    }

    public Task SubscribeAsync(string topic, Action<string> handler, CancellationToken cancellationToken) => Task.CompletedTask;
}
