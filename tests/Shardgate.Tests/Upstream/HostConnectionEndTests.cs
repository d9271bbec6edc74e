using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shardgate.Hosting;
using Shardgate.Network;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;
using Shardgate.Upstream;

namespace Shardgate.Tests.Upstream;

/// <summary>
/// How a stream's connection to its host ends. A stream the gateway stops relaying is cut at the host, not read to
/// its end: a host keeps generating (and the network keeps spending GPU time) for as long as its connection stays
/// open. The slow host here would finish its whole answer (0.8 s) within HttpClient's default drain allowance (2 s,
/// 1 MB), so a gateway that drains instead of closing is seen finishing it. A stream relayed to its end keeps its
/// connection for the next request.
/// </summary>
public sealed class HostConnectionEndTests
{
    private const string Qwen = ModelFamilies.QwenModelId;
    private static readonly SimulatedHostOptions SlowQwen = new() { Family = ModelFamily.Qwen, TokensPerSecond = 50 };

    [Fact]
    public async Task An_attempt_closed_after_its_first_content_cuts_the_hosts_generation()
    {
        // What a hedge's loser, a failed relay or a departed client leaves: a started stream nobody reads any more.
        await using var sim = await SimulatedHost.StartAsync(SlowQwen);
        using var client = new UpstreamClient(new UpstreamOptions());
        var host = new UpstreamHost("q", sim.BaseUrl, maxConcurrent: 4, weight: 1);
        Assert.True(host.TryAcquire());
        var body = JsonSerializer.SerializeToUtf8Bytes(ChatBodies.Simple(Qwen, "abandon me [[sim:tokens=40]]", stream: true));

        await using (var attempt = new UpstreamAttempt(host, null, TimeSpan.FromSeconds(10), TimeProvider.System, null, new ForwardedHeaders("req_test", null, null), CancellationToken.None))
        {
            Assert.Equal(AttemptStartKind.Ready, (await attempt.StartAsync(client, body, stream: true)).Kind);
        }

        await AssertCutAsync(sim);
    }

    [Fact]
    public async Task A_client_that_leaves_mid_stream_cuts_the_hosts_generation()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var host = await harness.AddHostAsync("q", SlowQwen);
        // This client closes its connection when it disposes an unfinished response, as a browser or an SDK whose
        // user pressed stop does; HttpClient's default would drain it for up to 2 s first.
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = harness.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await harness.CreateApiKeyAsync());

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(ChatBodies.Simple(Qwen, "leave early [[sim:tokens=40]]", stream: true)) })
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var stream = await response.Content.ReadAsStreamAsync();
            _ = await stream.ReadAsync(new byte[64]);
        }

        await AssertCutAsync(host);
    }

    [Fact]
    public async Task Streams_whose_body_ends_after_done_leave_the_host_connection_to_the_next_request()
    {
        // The end of the body arrives after [DONE] (here 200 ms after): the gateway reads it rather than closing a
        // connection it could reuse, so three streams in a row take one connection.
        await using var harness = await GatewayHarness.StartAsync();
        var host = await harness.AddHostAsync("q", SlowQwen with { Fault = "slow-end=200" });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"again {i} [[sim:tokens=3]]", stream: true));
            Assert.Equal("[DONE]", Sse.DataPayloads(await response.Content.ReadAsStringAsync())[^1]);
        }

        Assert.Equal(3, host.Requests);
        Assert.Equal(1, host.Connections);
        Assert.Equal(0, host.Aborted);
    }

    [Fact]
    public async Task A_host_that_holds_its_body_open_after_done_is_cut_and_the_stream_still_completes()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var host = await harness.AddHostAsync("q", SlowQwen with { Fault = "slow-end=600000" });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, "linger [[sim:tokens=3]]", stream: true));

        Assert.Equal("[DONE]", Sse.DataPayloads(await response.Content.ReadAsStringAsync())[^1]);
        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("completed", row["outcome"]!.GetValue<string>());
        await AssertCutAsync(host);
    }

    /// <summary>The host's one generation was ended by its connection closing, not by the host finishing it.</summary>
    private static async Task AssertCutAsync(SimulatedHost host)
    {
        for (var i = 0; i < 1_200 && host.Active > 0; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(0, host.Active);
        Assert.Equal(1, host.Aborted);
    }
}
