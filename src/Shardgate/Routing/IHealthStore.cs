using Shardgate.Routing;

namespace Shardgate.Routing;

/// <summary>Hosts' health records, so a quarantine survives a restart.</summary>
internal interface IHealthStore
{
    Task<IReadOnlyList<HostHealthState>> LoadAsync(CancellationToken cancellationToken);

    Task SaveAsync(HostHealthState state, CancellationToken cancellationToken);
}
