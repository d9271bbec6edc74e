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
