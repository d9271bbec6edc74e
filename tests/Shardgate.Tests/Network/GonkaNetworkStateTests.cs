using Microsoft.Extensions.Logging.Abstractions;
using Shardgate.Network;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Network;

public sealed class GonkaNetworkStateTests
{
    [Fact]
    public async Task An_api_node_that_cuts_its_answer_short_keeps_the_last_phase_and_the_poll_going()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        api.Phase = "PoCGenerate";
        using var state = new GonkaNetworkState(
            new NetworkOptions { Source = "gonka", PublicApi = api.BaseUrl.ToString(), PollInterval = TimeSpan.FromMilliseconds(20) },
            TimeProvider.System,
            NullLogger<GonkaNetworkState>.Instance);
        await state.RefreshAsync(default);
        api.CutLatestMidBody = true;
        api.Phase = "Inference";

        await state.StartAsync(default);
        // Several polls cut short in a row, counted by the API node itself.
        for (var i = 0; i < 3_000 && api.CutResponses < 3; i++)
        {
            await Task.Delay(10);
        }

        var runningThroughCuts = state.ExecuteTask is { IsCompleted: false };
        var phaseDuringCuts = state.Current.Name;
        api.CutLatestMidBody = false;
        for (var i = 0; i < 3_000 && state.Current.PocActive; i++)
        {
            await Task.Delay(10);
        }

        await state.StopAsync(default);

        Assert.True(runningThroughCuts, "the poll loop ended on a connection cut mid-body");
        Assert.Equal("PoCGenerate", phaseDuringCuts);
        Assert.False(state.Current.PocActive);
    }
}
