using System.Diagnostics;
using System.Globalization;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Upstream;

/// <summary><c>X-Shardgate-Overhead-Ms</c>: present on answers, and the host's time is not in it.</summary>
public sealed class OverheadHeaderTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_overhead_header_excludes_the_time_spent_waiting_on_the_host(bool stream)
    {
        await using var harness = await GatewayHarness.StartAsync();
        // A host that takes 400 ms before its first token: that wait is upstream time, not overhead.
        await harness.AddHostAsync("slow", new SimulatedHostOptions { Family = ModelFamily.Qwen, TimeToFirstToken = TimeSpan.FromMilliseconds(400) });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        var clock = Stopwatch.StartNew();
        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, "measure me", stream));
        var total = clock.Elapsed.TotalMilliseconds;

        var overhead = double.Parse(response.Headers.GetValues("X-Shardgate-Overhead-Ms").Single(), CultureInfo.InvariantCulture);
        // The host's 400 ms is in the total and must not be in the overhead. Timers may fire a little early and the
        // client's clock starts after the gateway's, so the bound keeps 100 ms of slack rather than the exact 400.
        Assert.InRange(overhead, 0, total - 300);
    }
}
