using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Network.Chain;
using Shardgate.Network.Discovery;
using Shardgate.Observability;

namespace Shardgate.Network;

/// <summary>
/// Polls a Gonka API node (reference §4.2): <c>GET /v1/epochs/latest</c> for the phase and
/// <c>GET /v1/epochs/current/participants</c> for the participants and their ML nodes. During a PoC phase (epoch PoC
/// or confirmation PoC) only preserved nodes — those whose <c>timeslot_allocation[1]</c> is true, and participants
/// with one — serve; registered nodes are matched by id. Every poll also reads each node's <c>poc_weight</c>, which
/// replaces the registered weight in selection, as the network's own picker weighs hosts by their current weight
/// (reference §4.4), and hands the participants to discovery. When the API cannot be read, the last known phase,
/// weights and hosts stay.
/// </summary>
internal sealed class GonkaNetworkState(NetworkOptions options, TimeProvider time, ILogger<GonkaNetworkState> logger, DiscoveredHosts? discovered = null, NodeCatalog? catalog = null)
    : BackgroundService, INetworkState
{
    // A read whose epoch moved underneath it is tried again this many times before the poll gives up.
    private const int ReadTries = 3;
    private static readonly HashSet<string> PocPhases = ["PoCGenerate", "PoCGenerateWindDown", "PoCValidate", "PoCValidateWindDown"];
    private static readonly HashSet<string> ConfirmationPhases = ["CONFIRMATION_POC_GRACE_PERIOD", "CONFIRMATION_POC_GENERATION", "CONFIRMATION_POC_VALIDATION", "1", "2", "3"];
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private volatile NetworkPhase _current = NetworkPhase.Inference;
    private long _epoch = -1;

    public NetworkPhase Current => _current;

    /// <summary>The epoch of the last whole read; null before one.</summary>
    public long? Epoch => Interlocked.Read(ref _epoch) is var epoch and >= 0 ? epoch : null;

    /// <summary>Reads the API once; also the first tick of the poll loop.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var client = new GonkaChainClient(_http, options);
        ChainEpoch? before = null;
        ChainEpoch? after = null;
        for (var attempt = 1; attempt <= ReadTries; attempt++)
        {
            before = await client.ReadEpochAsync(cancellationToken);
            var participants = await client.ReadParticipantsAsync(cancellationToken);
            // A participant list is the epoch's only if the epoch did not change while it was read.
            after = await client.ReadEpochAsync(cancellationToken);
            if (before.Index == after.Index)
            {
                await ApplyAsync(after, participants with { Epoch = participants.Epoch ?? after.Index }, cancellationToken);
                return;
            }
        }

        GatewayLog.DiscoveryEpochMoved(logger, before!.Index, after!.Index, ReadTries);
    }

    private async Task ApplyAsync(ChainEpoch epoch, ChainParticipants participants, CancellationToken cancellationToken)
    {
        var preserved = new HashSet<string>(StringComparer.Ordinal);
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var participant in participants.Participants)
        {
            foreach (var node in participant.Models.SelectMany(m => m.Nodes))
            {
                if (node.PocWeight is { } weight)
                {
                    weights[node.NodeId] = weight;
                }

                if (node.Preserved)
                {
                    preserved.Add(node.NodeId);
                    preserved.Add(participant.Address);
                }
            }
        }

        Interlocked.Exchange(ref _epoch, participants.Epoch ?? -1);
        _current = Phase(epoch, preserved, weights);
        if (options.Discovery.Enabled && discovered is not null && discovered.Apply(participants) && catalog is not null)
        {
            await catalog.ReloadAsync(cancellationToken);
        }
    }

    private NetworkPhase Phase(ChainEpoch epoch, HashSet<string> preserved, IReadOnlyDictionary<string, double> weights)
    {
        var pocActive = PocPhases.Contains(epoch.Phase) || (epoch.ConfirmationPhase is { } confirmation && ConfirmationPhases.Contains(confirmation));
        return pocActive
            ? new NetworkPhase(PocPhases.Contains(epoch.Phase) ? epoch.Phase : "ConfirmationPoC", true, preserved, ExpectedEnd(epoch)) { Weights = weights }
            : new NetworkPhase(epoch.Phase, false, new HashSet<string>(), null) { Weights = weights };
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ChainPoll.RunAsync(options.PollInterval, time, RefreshAsync, ex => GatewayLog.NetworkPollFailed(logger, ex, options.PublicApi), stoppingToken);

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    // Inference resumes when the next validator set is installed: blocks to go times the block time.
    private TimeSpan ExpectedEnd(ChainEpoch epoch) =>
        epoch.BlockHeight is { } height && epoch.SetNewValidators is { } resume && resume > height
            ? TimeSpan.FromSeconds((resume - height) * options.BlockSeconds)
            : options.PocRetryAfter;
}
