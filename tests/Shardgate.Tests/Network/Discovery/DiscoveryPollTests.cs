using Shardgate.Network;
using Shardgate.Network.Discovery;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Network.Discovery;

/// <summary>The poll against a fake chain API: whole reads replace the hosts, anything less keeps the last known set.</summary>
public sealed class DiscoveryPollTests
{
    private const string Qwen = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    private const string Kimi = "moonshotai/Kimi-K2.6";

    private static (GonkaNetworkState State, DiscoveredHosts Hosts, Log Log) Start(FakeGonkaApi api)
    {
        var log = new Log(new CollectingLogger<DiscoveredHosts>(), new CollectingLogger<GonkaNetworkState>());
        var hosts = new DiscoveredHosts(new DiscoveryOptions(), log.Discovery);
        var state = new GonkaNetworkState(new NetworkOptions { Source = "gonka", PublicApi = api.BaseUrl.ToString() }, TimeProvider.System, log.Poll, hosts);
        return (state, hosts, log);
    }

    private sealed record Log(CollectingLogger<DiscoveredHosts> Discovery, CollectingLogger<GonkaNetworkState> Poll)
    {
        public IEnumerable<string> Messages => Discovery.Entries.Concat(Poll.Entries).Select(e => e.Message);
    }

    [Fact]
    public async Task A_whole_read_lists_the_hosts_and_logs_how_many_each_model_has()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        api.AddParticipant("gonka1a", "http://127.0.0.1:7001", Qwen, 10);
        api.AddParticipant("gonka1b", "http://127.0.0.1:7002", Qwen, 10);
        api.AddParticipant("gonka1c", "http://127.0.0.1:7003", Kimi, 10);
        var (state, hosts, log) = Start(api);
        using (state)
        {
            await state.RefreshAsync(default);
        }

        Assert.Equal(["gonka1a", "gonka1b", "gonka1c"], hosts.Nodes.Select(n => n.Id));
        Assert.Equal(42, state.Epoch);
        Assert.Contains(log.Messages, m => m.Contains($"Discovered 2 host(s) for {Qwen}", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.Contains($"Discovered 1 host(s) for {Kimi}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_epoch_change_mid_poll_rereads_and_takes_the_new_epochs_participants()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        api.AddParticipant("gonka1old", "http://127.0.0.1:7001", Qwen, 10);
        var (state, hosts, _) = Start(api);
        using (state)
        {
            // The first participant read sees epoch 42's set; the epoch switches right after it, to a set without gonka1old.
            api.AfterParticipants = () =>
            {
                api.AfterParticipants = null;
                api.Epoch = 43;
                api.RemoveParticipant("gonka1old");
                api.AddParticipant("gonka1new", "http://127.0.0.1:7002", Qwen, 10);
            };
            await state.RefreshAsync(default);
        }

        Assert.Equal(2, api.ParticipantReads);
        Assert.Equal(["gonka1new"], hosts.Nodes.Select(n => n.Id));
        Assert.Equal(43, state.Epoch);
    }

    [Fact]
    public async Task An_epoch_that_keeps_moving_keeps_the_last_known_hosts()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        api.AddParticipant("gonka1known", "http://127.0.0.1:7001", Qwen, 10);
        var (state, hosts, log) = Start(api);
        using (state)
        {
            await state.RefreshAsync(default);
            api.RemoveParticipant("gonka1known");
            api.AddParticipant("gonka1torn", "http://127.0.0.1:7002", Qwen, 10);
            api.AfterParticipants = () => api.Epoch++;
            await state.RefreshAsync(default);
        }

        Assert.Equal(["gonka1known"], hosts.Nodes.Select(n => n.Id));
        Assert.Contains(log.Messages, m => m.Contains("The epoch changed while the chain was read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_chain_api_that_fails_or_lists_nobody_never_empties_the_hosts()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        api.AddParticipant("gonka1known", "http://127.0.0.1:7001", Qwen, 10);
        var (state, hosts, log) = Start(api);
        using (state)
        {
            await state.RefreshAsync(default);
            api.ParticipantsDown = true;
            await Assert.ThrowsAsync<HttpRequestException>(() => state.RefreshAsync(default));
            Assert.Equal(["gonka1known"], hosts.Nodes.Select(n => n.Id));

            api.ParticipantsDown = false;
            api.RemoveParticipant("gonka1known");
            await state.RefreshAsync(default);
        }

        Assert.Equal(["gonka1known"], hosts.Nodes.Select(n => n.Id));
        Assert.Contains(log.Messages, m => m.Contains("listed no participant at all", StringComparison.Ordinal));
    }
}
