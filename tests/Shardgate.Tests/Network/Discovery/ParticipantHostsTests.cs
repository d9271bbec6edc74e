using Shardgate.Network.Chain;
using Shardgate.Network.Discovery;

namespace Shardgate.Tests.Network.Discovery;

public sealed class ParticipantHostsTests
{
    private const string Qwen = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    private const string Kimi = "moonshotai/Kimi-K2.6";

    private static ChainParticipant Participant(string address, params (string Model, long?[] Weights)[] models) =>
        new(address, $"http://127.0.0.1:9/{address}", null, [.. models.Select(m => new ChainModel(m.Model, [.. m.Weights.Select((w, i) => new ChainMlNode($"{address}-{i}", w, false))]))]);

    private static IReadOnlyList<DiscoveredHost> Build(DiscoveryOptions options, IReadOnlyList<DiscoveredHost> previous, params ChainParticipant[] participants) =>
        ParticipantHosts.Build(new ChainParticipants(7, participants, 0), options, previous);

    [Fact]
    public void A_models_weight_is_the_sum_of_its_nodes_its_share_is_over_the_shard_and_routing_weighs_it_against_the_mean()
    {
        var hosts = Build(new DiscoveryOptions(), [], Participant("gonka1a", (Qwen, [3_000, 3_000])), Participant("gonka1b", (Qwen, [2_000])), Participant("gonka1c", (Kimi, [500])));

        var a = hosts.Single(h => h.Address == "gonka1a").Models.Single();
        var b = hosts.Single(h => h.Address == "gonka1b").Models.Single();
        var c = hosts.Single(h => h.Address == "gonka1c").Models.Single();
        Assert.Equal((6_000L, 0.75, 1.5, 2), (a.PocWeight, a.Share, a.RoutingWeight, a.MlNodes));
        Assert.Equal((2_000L, 0.25, 0.5), (b.PocWeight, b.Share, b.RoutingWeight));
        Assert.Equal((500L, 1.0, 1.0), (c.PocWeight, c.Share, c.RoutingWeight));
        Assert.All(hosts, h => Assert.Equal((7L, "active"), (h.Epoch!.Value, h.State)));
    }

    [Theory]
    [InlineData(new long[0], 4_000L, 4_000L)] // no ML node listed: the participant's own weight
    [InlineData(new long[] { -1 }, null, 1_000L)] // neither: the model's mean (of the other participant)
    public void A_weight_the_chain_does_not_give_falls_back_to_the_participants_then_the_models_mean(long[] nodes, long? participantWeight, long expected)
    {
        var odd = new ChainParticipant("gonka1odd", "http://127.0.0.1:9", participantWeight,
            [new ChainModel(Qwen, [.. nodes.Select(w => new ChainMlNode("n", w < 0 ? null : w, false))])]);
        var hosts = Build(new DiscoveryOptions(), [], odd, Participant("gonka1ok", (Qwen, [1_000])));

        Assert.Equal(expected, hosts.Single(h => h.Address == "gonka1odd").Models.Single().PocWeight);
    }

    [Fact]
    public void An_excluded_host_is_listed_but_not_routed_and_overrides_replace_what_the_chain_says()
    {
        var options = new DiscoveryOptions
        {
            MaxConcurrent = 8,
            Hosts = new Dictionary<string, DiscoveredHostOverride>
            {
                ["gonka1bad"] = new() { Exclude = true },
                ["gonka1tuned"] = new() { BaseUrl = "http://127.0.0.1:7000/v2", MaxConcurrent = 3, Weight = 2, ContextWindow = 65_536 },
            },
        };
        var hosts = Build(options, [], Participant("gonka1bad", (Qwen, [1])), Participant("gonka1tuned", (Qwen, [1])), Participant("gonka1plain", (Qwen, [1])));

        Assert.Equal("excluded", hosts.Single(h => h.Address == "gonka1bad").State);
        Assert.Null(ParticipantHosts.ToNode(hosts.Single(h => h.Address == "gonka1bad"), options));
        var tuned = ParticipantHosts.ToNode(hosts.Single(h => h.Address == "gonka1tuned"), options)!;
        Assert.Equal(("http://127.0.0.1:7000/v2/", 3, 2.0, 65_536), (tuned.ResolveBaseUri().ToString(), tuned.MaxConcurrent, tuned.Models[Qwen].Weight!.Value, tuned.Models[Qwen].ContextWindow!.Value));
        var plain = ParticipantHosts.ToNode(hosts.Single(h => h.Address == "gonka1plain"), options)!;
        Assert.Equal((8, 1.0), (plain.MaxConcurrent, plain.Models[Qwen].Weight!.Value));
    }

    [Fact]
    public void A_pinned_host_that_leaves_the_list_stays_and_an_unpinned_one_goes()
    {
        var options = new DiscoveryOptions { Hosts = new Dictionary<string, DiscoveredHostOverride> { ["gonka1pinned"] = new() { Pin = true } } };
        var before = Build(options, [], Participant("gonka1pinned", (Qwen, [1])), Participant("gonka1gone", (Qwen, [1])), Participant("gonka1stays", (Qwen, [1])));

        var after = Build(options, before, Participant("gonka1stays", (Qwen, [1])));

        Assert.Equal(["gonka1pinned", "gonka1stays"], after.Select(h => h.Address));
        Assert.Equal("pinned", after[0].State);
        Assert.NotNull(ParticipantHosts.ToNode(after[0], options));
    }
}
