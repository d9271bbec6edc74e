using Shardgate.Routing;
using Shardgate.Storage;

namespace Shardgate.Tests.Infrastructure;

/// <summary>A fake health store for the tracker's unit tests; the real stores are covered end to end.</summary>
internal sealed class MemoryHealthStore : IHealthStore
{
    public Dictionary<string, HostHealthState> Saved { get; } = [];

    public Task<IReadOnlyList<HostHealthState>> LoadAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<HostHealthState>>([.. Saved.Values]);

    public Task SaveAsync(HostHealthState state, CancellationToken cancellationToken)
    {
        lock (Saved)
        {
            Saved[state.NodeId] = state;
        }

        return Task.CompletedTask;
    }
}
