using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Shardgate.Kernel;
using Shardgate.Observability;

namespace Shardgate.Routing;

/// <summary>
/// Passive health from real traffic (reference §4.6): an overloaded host cools down, a failing one cools down, a
/// few soft failures or a mid-stream stall quarantine it; when its time is up it takes traffic on probation and is
/// trusted again after some successes. When every host of a model rests, one request at a time probes.
/// Transitions are persisted, so a quarantine survives a restart.
/// </summary>
internal sealed class HealthTracker(HealthOptions options, IHealthStore store, TimeProvider time, ILogger<HealthTracker> logger, IReplicaBus bus)
{
    private readonly ConcurrentDictionary<string, HostHealthState> _hosts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _probes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RecentFailures> _failures = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var state in await store.LoadAsync(cancellationToken))
        {
            _hosts[state.NodeId] = state;
        }
    }

    /// <summary>The host's state now: a rest that has ended becomes probation.</summary>
    public HostHealthState Get(string nodeId)
    {
        // A host seen for the first time is healthy; its state is kept, not made anew on every read (the router
        // reads every candidate's state for every request).
        var state = _hosts.GetOrAdd(nodeId, HostHealthState.Healthy);
        if (state.Status is HealthStatus.CoolingDown or HealthStatus.Quarantined && state.Until <= time.GetUtcNow())
        {
            state = Change(state, state with { Status = HealthStatus.Probation, Until = null, Strikes = 0, Successes = 0 });
        }

        return state;
    }

    /// <summary>Whether the host takes traffic, and how much to trust it (probation counts half).</summary>
    public bool IsAvailable(string nodeId, out double factor)
    {
        var state = Get(nodeId);
        factor = state.Status == HealthStatus.Probation ? 0.5 : 1.0;
        return state.Status is HealthStatus.Healthy or HealthStatus.Probation;
    }

    /// <summary>How long until the first of these hosts is back.</summary>
    public TimeSpan NextBack(IEnumerable<string> nodeIds)
    {
        var now = time.GetUtcNow();
        var soonest = TimeSpan.MaxValue;
        foreach (var id in nodeIds)
        {
            if (Get(id).Until is { } until && until - now < soonest)
            {
                soonest = until - now;
            }
        }

        return soonest == TimeSpan.MaxValue ? TimeSpan.Zero : soonest;
    }

    public bool TryBeginProbe(string model) => _probes.TryAdd(model, 0);

    public void EndProbe(string model) => _probes.TryRemove(model, out _);

    public void RecordSuccess(string nodeId)
    {
        var state = Get(nodeId);
        var next = state.Status switch
        {
            HealthStatus.Healthy when state.Strikes == 0 => state,
            HealthStatus.Healthy => state with { Strikes = 0 },
            HealthStatus.Probation when state.Successes + 1 >= options.ProbationSuccesses => HostHealthState.Healthy(nodeId),
            HealthStatus.Probation => state with { Successes = state.Successes + 1 },
            // A probe answered while the host was resting: it goes on probation at once.
            _ => state with { Status = HealthStatus.Probation, Until = null, Strikes = 0, Successes = 1 },
        };
        Change(state, next);
    }

    /// <summary>The host's last failures seen by this replica, newest first.</summary>
    public IReadOnlyList<HostFailure> RecentFailures(string nodeId) =>
        _failures.TryGetValue(nodeId, out var failures) ? failures.Newest() : [];

    public void Record(string nodeId, HostFault fault, string reason)
    {
        var state = Get(nodeId);
        var now = time.GetUtcNow();
        _failures.GetOrAdd(nodeId, static _ => new RecentFailures()).Add(new HostFailure(now, fault.ToString().ToLowerInvariant(), reason));
        HostHealthState Rest(HealthStatus status, TimeSpan duration) => new(nodeId, status, now + duration, 0, 0, reason);
        var next = fault switch
        {
            HostFault.Busy => Rest(HealthStatus.CoolingDown, options.BusyCooldown),
            HostFault.Transport => Rest(HealthStatus.CoolingDown, options.TransportCooldown),
            HostFault.Stall => Rest(HealthStatus.Quarantined, options.StallQuarantine),
            _ when state.Status == HealthStatus.Probation && state.Strikes + 1 >= options.ProbationStrikes => Rest(HealthStatus.Quarantined, options.SoftQuarantine),
            _ when state.Status == HealthStatus.Healthy && state.Strikes + 1 >= options.SoftStrikes => Rest(HealthStatus.Quarantined, options.SoftQuarantine),
            _ when state.Status is HealthStatus.CoolingDown or HealthStatus.Quarantined => Rest(state.Status, options.SoftQuarantine),
            _ => state with { Strikes = state.Strikes + 1, Reason = reason },
        };
        Change(state, next);
    }

    /// <summary>An operator clears a rest: the host goes on probation now.</summary>
    public HostHealthState Clear(string nodeId)
    {
        var state = Get(nodeId);
        return state.Status is HealthStatus.CoolingDown or HealthStatus.Quarantined
            ? Change(state, state with { Status = HealthStatus.Probation, Until = null, Strikes = 0, Successes = 0, Reason = "cleared by an operator" })
            : state;
    }

    private HostHealthState Change(HostHealthState from, HostHealthState to)
    {
        if (from == to)
        {
            return to;
        }

        lock (_gate)
        {
            _hosts[to.NodeId] = to;
        }

        if (from.Status != to.Status)
        {
            GatewayLog.HostHealthChanged(logger, to.NodeId, from.Status.ToString(), to.Status.ToString(), to.Reason ?? string.Empty);
            // Other replicas route around a resting host at once, and back to it when it is trusted again.
            bus.Publish(ReplicaTopics.Health, HealthMessage.Write(to));
        }

        _ = PersistAsync(to);
        return to;
    }

    /// <summary>Takes a state another replica decided (<see cref="ReplicaTopics.Health"/>), without persisting or announcing it again.</summary>
    public void ApplyRemote(string message)
    {
        if (HealthMessage.Read(message) is not { } state)
        {
            return;
        }

        HostHealthState? from;
        lock (_gate)
        {
            from = _hosts.GetValueOrDefault(state.NodeId);
            _hosts[state.NodeId] = state;
        }

        if (from?.Status != state.Status)
        {
            GatewayLog.HostHealthChanged(logger, state.NodeId, (from?.Status ?? HealthStatus.Healthy).ToString(), state.Status.ToString(), "on another replica: " + state.Reason);
        }
    }

    private async Task PersistAsync(HostHealthState state)
    {
        try
        {
            await store.SaveAsync(state, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Health works from memory; only the survival of a quarantine across a restart is at stake.
            GatewayLog.HealthSaveFailed(logger, ex, state.NodeId);
        }
    }
}
