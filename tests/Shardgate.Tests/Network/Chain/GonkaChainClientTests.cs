using System.Text.Json.Nodes;
using Shardgate.Network;
using Shardgate.Network.Chain;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Network.Chain;

public sealed class GonkaChainClientTests
{
    private const string Qwen = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";

    [Fact]
    public async Task Participants_are_read_from_the_recorded_shape_and_entries_that_cannot_be_read_are_counted_not_thrown()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        api.AddParticipant("gonka1full", "http://127.0.0.1:7001", Qwen, 4_000, 2_000);
        api.AddParticipant("gonka1nourl", "http://127.0.0.1:7002", Qwen, 1).Remove("inference_url");
        api.AddParticipant("gonka1badurl", "ftp://127.0.0.1:7003", Qwen, 1);
        api.AddParticipant("gonka1nomodels", "http://127.0.0.1:7004", Qwen, 1).Remove("models");
        api.AddParticipant("", "http://127.0.0.1:7005", Qwen, 1);
        // ml_nodes missing entirely, and numbers as JSON numbers rather than strings: still usable.
        var sparse = api.AddParticipant("gonka1sparse", "http://127.0.0.1:7006", Qwen);
        sparse.Remove("ml_nodes");
        sparse["weight"] = 900;
        // Two models but one ML-node group: the second model has no node listed.
        var twoModels = api.AddParticipant("gonka1two", "http://127.0.0.1:7007", Qwen, 300);
        twoModels["models"]!.AsArray().Add("moonshotai/Kimi-K2.6");
        // A node without poc_weight and a node without an id.
        var group = twoModels["ml_nodes"]![0]!["ml_nodes"]!.AsArray();
        group.Add(new JsonObject { ["node_id"] = "gonka1two-noweight" });
        group.Add(new JsonObject { ["poc_weight"] = "5" });
        using var http = new HttpClient();
        var client = new GonkaChainClient(http, new NetworkOptions { PublicApi = api.BaseUrl.ToString() });

        var read = await client.ReadParticipantsAsync(default);

        Assert.Equal(42, read.Epoch);
        Assert.Equal(2, read.Skipped);
        Assert.Equal(["gonka1full", "gonka1nourl", "gonka1badurl", "gonka1sparse", "gonka1two"], read.Participants.Select(p => p.Address));
        // Kept for their ML nodes' weights, but not routable.
        Assert.Equal([true, false, false, true, true], read.Participants.Select(p => p.Routable));
        var full = read.Participants[0];
        Assert.Equal(("http://127.0.0.1:7001", 6_000L, 2), (full.InferenceUrl, full.Models.Single().PocWeight!.Value, full.Models.Single().Nodes.Count));
        Assert.Equal((900L, (long?)null), (read.Participants[3].Weight!.Value, read.Participants[3].Models.Single().PocWeight));
        var two = read.Participants[4];
        Assert.Equal([Qwen, "moonshotai/Kimi-K2.6"], two.Models.Select(m => m.ModelId));
        Assert.Equal([300L, (long?)null], two.Models[0].Nodes.Select(n => n.PocWeight));
        Assert.Empty(two.Models[1].Nodes);
    }

    [Fact]
    public async Task The_latest_epoch_reads_its_index_height_and_phases()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        api.Epoch = 271;
        api.Phase = "PoCValidate";
        api.ConfirmationPhase = 2;
        using var http = new HttpClient();
        var client = new GonkaChainClient(http, new NetworkOptions { PublicApi = api.BaseUrl.ToString() });

        var epoch = await client.ReadEpochAsync(default);

        Assert.Equal(new ChainEpoch(271, 1_000, "PoCValidate", "2", 1_010), epoch);
    }
}
