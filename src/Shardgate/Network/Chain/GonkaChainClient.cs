using System.Text.Json;

namespace Shardgate.Network.Chain;

/// <summary>
/// Reads a Gonka API node's public API (reference §4.2 and §8): the latest epoch and the epoch's active
/// participants. Every read tolerates missing fields and numbers sent as strings; an entry that cannot be read is
/// counted in <see cref="ChainParticipants.Skipped"/>, not thrown on.
/// </summary>
internal sealed class GonkaChainClient(HttpClient http, NetworkOptions options)
{
    private string PublicApi => options.PublicApi.TrimEnd('/');

    public async Task<ChainEpoch> ReadEpochAsync(CancellationToken cancellationToken)
    {
        using var document = await GetAsync(PublicApi + "/v1/epochs/latest", cancellationToken);
        var root = document.RootElement;
        var confirmation = ChainJson.Bool(root, "is_confirmation_poc_active") ? ChainJson.Text(ChainJson.Object(root, "active_confirmation_poc_event"), "phase") : null;
        var index = ChainJson.Long(ChainJson.Object(root, "latest_epoch"), "index") ?? ChainJson.Long(ChainJson.Object(root, "epoch_stages"), "epoch_index");
        return new ChainEpoch(index, ChainJson.Long(root, "block_height"), ChainJson.Text(root, "phase") ?? "Inference", confirmation, ChainJson.Long(ChainJson.Object(root, "epoch_stages"), "set_new_validators"));
    }

    public async Task<ChainParticipants> ReadParticipantsAsync(CancellationToken cancellationToken)
    {
        using var document = await GetAsync(PublicApi + "/v1/epochs/current/participants", cancellationToken);
        var active = ChainJson.Object(document.RootElement, "active_participants");
        var epoch = ChainJson.Long(active, "epoch_id") ?? ChainJson.Long(active, "epoch_group_id");
        var participants = new List<ChainParticipant>();
        var skipped = 0;
        foreach (var item in ChainJson.Array(active, "participants"))
        {
            if (Read(item) is { } participant)
            {
                participants.Add(participant);
            }
            else
            {
                skipped++;
            }
        }

        return new ChainParticipants(epoch, participants, skipped);
    }

    /// <summary>
    /// The participant directory, <c>GET /v1/participants</c>, page by page (Cosmos pagination: <c>key</c> in,
    /// <c>pagination.next_key</c> out), as coins owed and balance in ngonka by address. Bounded at 1,000 pages.
    /// </summary>
    public async Task<Dictionary<string, ChainAccount>> ReadDirectoryAsync(CancellationToken cancellationToken)
    {
        var accounts = new Dictionary<string, ChainAccount>(StringComparer.Ordinal);
        string? key = null;
        for (var page = 0; page < 1_000; page++)
        {
            var url = PublicApi + "/v1/participants" + (key is null ? string.Empty : "?key=" + Uri.EscapeDataString(key));
            using var document = await GetAsync(url, cancellationToken);
            foreach (var item in ChainJson.Array(document.RootElement, "participants"))
            {
                if (ChainJson.Text(item, "id") is { Length: > 0 } id)
                {
                    accounts[id] = new ChainAccount(ChainJson.Long(item, "coins_owed"), ChainJson.Long(item, "balance"));
                }
            }

            key = ChainJson.Text(ChainJson.Object(document.RootElement, "pagination"), "next_key");
            if (string.IsNullOrEmpty(key))
            {
                break;
            }
        }

        return accounts;
    }

    /// <summary>Collateral deposited by a participant, in ngonka; 0 when it has none (the chain answers 404).</summary>
    public async Task<long> ReadCollateralAsync(string address, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(ChainRest + "/productscience/inference/collateral/collateral/" + Uri.EscapeDataString(address), cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return 0;
        }

        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        return ChainJson.Long(ChainJson.Object(document.RootElement, "amount"), "amount") ?? 0;
    }

    /// <summary>The collateral parameters (reference §8): base weight ratio, collateral per weight unit, grace period end.</summary>
    public async Task<CollateralParams> ReadCollateralParamsAsync(CancellationToken cancellationToken)
    {
        using var document = await GetAsync(ChainRest + "/productscience/inference/inference/params", cancellationToken);
        var p = ChainJson.Object(ChainJson.Object(document.RootElement, "params"), "collateral_params");
        return new CollateralParams(ChainJson.Double(p, "base_weight_ratio") ?? 0.2, ChainJson.Double(p, "collateral_per_weight_unit") ?? 1, ChainJson.Long(p, "grace_period_end_epoch") ?? 180);
    }

    private string ChainRest => options.ChainRest.TrimEnd('/');

    private static ChainParticipant? Read(JsonElement item)
    {
        var address = ChainJson.Text(item, "index") ?? ChainJson.Text(item, "address");
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var groups = ChainJson.Array(item, "ml_nodes").ToArray();
        var models = new List<ChainModel>();
        var i = 0;
        foreach (var model in ChainJson.Array(item, "models"))
        {
            var nodes = new List<ChainMlNode>();
            if (i < groups.Length)
            {
                foreach (var node in ChainJson.Array(groups[i], "ml_nodes"))
                {
                    if (ChainJson.Text(node, "node_id") is { Length: > 0 } id)
                    {
                        var weight = ChainJson.Long(node, "poc_weight");
                        nodes.Add(new ChainMlNode(id, weight is >= 0 ? weight : null, Preserved(node)));
                    }
                }
            }

            i++;
            if (model.ValueKind == JsonValueKind.String && model.GetString() is { Length: > 0 } modelId)
            {
                models.Add(new ChainModel(modelId, nodes));
            }
        }

        return models.Count == 0 ? null : new ChainParticipant(address, ChainJson.Text(item, "inference_url"), ChainJson.Long(item, "weight"), models);
    }

    private static bool Preserved(JsonElement node) =>
        node.TryGetProperty("timeslot_allocation", out var slots) && slots.ValueKind == JsonValueKind.Array
        && slots.GetArrayLength() > 1 && slots[1].ValueKind == JsonValueKind.True;

    private async Task<JsonDocument> GetAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
    }
}
