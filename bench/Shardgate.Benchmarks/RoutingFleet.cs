using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Simulator;

namespace Shardgate.Benchmarks;

/// <summary>
/// Simulated Qwen hosts on loopback plus a gateway (accounting off: the admin key) that knows them with their
/// windows and weights. A request goes to a host the strategy picks — the client's random or weighted choice straight
/// to the host, or the gateway's — and is measured from send to first content and to the end.
/// </summary>
internal sealed class RoutingFleet : IAsyncDisposable
{
    public const string Model = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    private const string AdminKey = "bench";
    private readonly List<SimulatedHost> _hosts;
    private readonly double[] _weights;
    private readonly InProcessGateway _gateway;
    private readonly HttpClient _client;
    private readonly Uri _gatewayUrl;
    private readonly TimeSpan _timeout;

    private RoutingFleet(List<SimulatedHost> hosts, double[] weights, InProcessGateway gateway, TimeSpan timeout)
    {
        _hosts = hosts;
        _weights = weights;
        _gateway = gateway;
        _gatewayUrl = gateway.BaseUrl;
        _timeout = timeout;
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 256 }) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public static async Task<RoutingFleet> StartAsync(IReadOnlyList<SimulatedHostOptions> hosts, double[] weights, TimeSpan timeout)
    {
        var started = new List<SimulatedHost>();
        foreach (var options in hosts)
        {
            started.Add(await SimulatedHost.StartAsync(options));
        }

        var fleet = new RoutingFleet(started, weights, await InProcessGateway.StartAsync(AdminKey), timeout);
        var url = fleet._gatewayUrl;
        for (var i = 0; i < started.Count; i++)
        {
            var node = new JsonObject
            {
                ["id"] = $"host-{i}",
                ["host"] = started[i].BaseUrl.Host,
                ["inference_port"] = started[i].BaseUrl.Port,
                ["max_concurrent"] = hosts[i].MaxConcurrent,
                ["weight"] = weights[i],
                ["models"] = new JsonObject { [Model] = new JsonObject { ["args"] = new JsonArray("--max-model-len", hosts[i].MaxModelLen.ToString(System.Globalization.CultureInfo.InvariantCulture)) } },
            };
            (await fleet._client.PostAsJsonAsync(new Uri(url, "/admin/v1/nodes"), node)).EnsureSuccessStatusCode();
        }

        fleet._client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await LedgerLoad.FundedKeyAsync(fleet._client, url));
        return fleet;
    }

    public async Task<RoutedResult> SendAsync(RoutingStrategy strategy, byte[] body, Random random)
    {
        var target = strategy switch
        {
            RoutingStrategy.Random => new Uri(_hosts[random.Next(_hosts.Count)].BaseUrl, "v1/chat/completions"),
            RoutingStrategy.Weighted => new Uri(_hosts[PickWeighted(random)].BaseUrl, "v1/chat/completions"),
            _ => new Uri(_gatewayUrl, "/v1/chat/completions"),
        };
        var start = Stopwatch.GetTimestamp();
        // The client's patience covers the whole exchange, body included: a stalled stream ends here.
        using var patience = new CancellationTokenSource(_timeout);
        try
        {
            using var response = await ChatPosts.SendAsync(_client, target, body, HttpCompletionOption.ResponseHeadersRead, patience.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new RoutedResult(false, double.NaN, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(patience.Token));
            var ttft = double.NaN;
            var done = false;
            while (await reader.ReadLineAsync(patience.Token) is { } line)
            {
                if (double.IsNaN(ttft) && line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal))
                {
                    ttft = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                done |= line == "data: [DONE]";
            }

            return new RoutedResult(done, ttft, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return new RoutedResult(false, double.NaN, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    public static byte[] Body(JsonArray messages, int maxTokens) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["model"] = Model,
        ["stream"] = true,
        ["max_tokens"] = maxTokens,
        ["messages"] = messages.DeepClone(),
    }.ToJsonString());

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }

    private int PickWeighted(Random random)
    {
        var total = 0.0;
        foreach (var w in _weights)
        {
            total += w;
        }

        var x = random.NextDouble() * total;
        for (var i = 0; i < _weights.Length; i++)
        {
            x -= _weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return _weights.Length - 1;
    }
}
