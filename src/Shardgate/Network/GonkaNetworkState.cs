using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Observability;

namespace Shardgate.Network;

/// <summary>
/// Polls a Gonka API node (reference §4.2): <c>GET /v1/epochs/latest</c> for the phase and
/// <c>GET /v1/epochs/current/participants</c> for the ML nodes. During a PoC phase (epoch PoC or confirmation PoC)
/// only preserved nodes — those whose <c>timeslot_allocation[1]</c> is true — serve; registered nodes are matched by
/// id. Every poll also reads each node's <c>poc_weight</c>, which replaces the registered weight in selection, as the
/// network's own picker weighs hosts by their current weight (reference §4.4). When the API cannot be read, the last
/// known phase and weights stay.
/// </summary>
internal sealed class GonkaNetworkState(NetworkOptions options, TimeProvider time, ILogger<GonkaNetworkState> logger) : BackgroundService, INetworkState
{
    private static readonly HashSet<string> PocPhases = ["PoCGenerate", "PoCGenerateWindDown", "PoCValidate", "PoCValidateWindDown"];
    private static readonly HashSet<string> ConfirmationPhases = ["CONFIRMATION_POC_GRACE_PERIOD", "CONFIRMATION_POC_GENERATION", "CONFIRMATION_POC_VALIDATION", "1", "2", "3"];
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private volatile NetworkPhase _current = NetworkPhase.Inference;

    public NetworkPhase Current => _current;

    /// <summary>Reads the API once; also the first tick of the poll loop.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var baseUrl = options.PublicApi.TrimEnd('/');
        using var latest = await JsonDocument.ParseAsync(await _http.GetStreamAsync(baseUrl + "/v1/epochs/latest", cancellationToken), cancellationToken: cancellationToken);
        var root = latest.RootElement;
        var phase = Text(root, "phase") ?? "Inference";
        var confirmation = root.TryGetProperty("active_confirmation_poc_event", out var cpoc) && cpoc.ValueKind == JsonValueKind.Object ? Text(cpoc, "phase") : null;
        var pocActive = PocPhases.Contains(phase) || (Bool(root, "is_confirmation_poc_active") && confirmation is not null && ConfirmationPhases.Contains(confirmation));
        using var participants = await JsonDocument.ParseAsync(await _http.GetStreamAsync(baseUrl + "/v1/epochs/current/participants", cancellationToken), cancellationToken: cancellationToken);
        var preserved = new HashSet<string>(StringComparer.Ordinal);
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        ReadNodes(participants.RootElement, preserved, weights);
        _current = pocActive
            ? new NetworkPhase(PocPhases.Contains(phase) ? phase : "ConfirmationPoC", true, preserved, ExpectedEnd(root)) { Weights = weights }
            : new NetworkPhase(phase, false, new HashSet<string>(), null) { Weights = weights };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PollInterval, time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            // A connection cut mid-answer surfaces as an IOException, and one cut while opening as a bare SocketException;
            // either would end this loop, and an ended BackgroundService stops the gateway.
            catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException or JsonException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                GatewayLog.NetworkPollFailed(logger, ex, options.PublicApi);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static void ReadNodes(JsonElement root, HashSet<string> preserved, Dictionary<string, double> weights)
    {
        if (!root.TryGetProperty("active_participants", out var active) || !active.TryGetProperty("participants", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var participant in list.EnumerateArray())
        {
            if (!participant.TryGetProperty("ml_nodes", out var perModel) || perModel.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var group in perModel.EnumerateArray())
            {
                if (!group.TryGetProperty("ml_nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var node in nodes.EnumerateArray())
                {
                    if (Text(node, "node_id") is not { } id)
                    {
                        continue;
                    }

                    if (double.TryParse(Text(node, "poc_weight"), NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) && weight >= 0)
                    {
                        weights[id] = weight;
                    }

                    if (node.TryGetProperty("timeslot_allocation", out var slots) && slots.ValueKind == JsonValueKind.Array
                        && slots.GetArrayLength() > 1 && slots[1].ValueKind == JsonValueKind.True)
                    {
                        preserved.Add(id);
                    }
                }
            }
        }
    }

    // Inference resumes when the next validator set is installed: blocks to go times the block time.
    private TimeSpan ExpectedEnd(JsonElement root)
    {
        if (Long(root, "block_height") is { } height && root.TryGetProperty("epoch_stages", out var stages) && Long(stages, "set_new_validators") is { } resume && resume > height)
        {
            return TimeSpan.FromSeconds((resume - height) * options.BlockSeconds);
        }

        return options.PocRetryAfter;
    }

    // The API may send numbers as strings and enums as names or numbers.
    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    private static long? Long(JsonElement obj, string name) =>
        long.TryParse(Text(obj, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool Bool(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && (v.ValueKind == JsonValueKind.True || (v.ValueKind == JsonValueKind.String && v.GetString() == "true"));
}
