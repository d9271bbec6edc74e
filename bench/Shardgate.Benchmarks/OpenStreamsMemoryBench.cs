using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Shardgate.Benchmarks;

/// <summary>
/// Resident memory of the gateway per open stream: the gateway and a simulated host each run as their own process
/// (the built <c>shardgate</c>), the host generating slowly so streams stay open; the load generator opens N streams
/// over HTTP/2 cleartext with prior knowledge (the gateway's endpoint is HTTP/2-only for this run; a few connections: one process may hold only 20,000 descriptors here, and 10,000 streams
/// over HTTP/1.1 in and out of the gateway would need more), waits until every stream has shown content, and reads
/// the gateway's VmRSS against its idle value after a warm-up. Bounded: every stream is cancelled at the end.
/// Usage: dotnet run -c Release --project bench/Shardgate.Benchmarks -- memory [streams]
/// </summary>
internal static class OpenStreamsMemoryBench
{
    private const string Model = ChatPosts.Model;

    public static async Task RunAsync(string[] args)
    {
        var streams = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var directory = Directory.CreateTempSubdirectory("shardgate-memory-").FullName;
        using var sim = ChildProcess.Shardgate($"sim --family qwen --port {{port}} --tokens-per-second 1 --ttft-ms 0 --max-concurrent {streams * 2}");
        using var gateway = ChildProcess.Shardgate("serve --urls http://127.0.0.1:{port} --Kestrel:EndpointDefaults:Protocols Http2 --Shardgate:Admission:MaxConcurrent 0 --Shardgate:Hedging:Enabled false --Logging:LogLevel:Default Warning", new Dictionary<string, string>
        {
            ["SHARDGATE_DB"] = Path.Combine(directory, "memory.db"),
            ["SHARDGATE_ADMIN_KEY"] = "load",
        });
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true, MaxConnectionsPerServer = 1000 }) { BaseAddress = gateway.BaseUrl, Timeout = Timeout.InfiniteTimeSpan, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "load");
            await gateway.WaitUntilUpAsync("/healthz", client);
            var node = new JsonObject
            {
                ["id"] = "sim",
                ["host"] = "127.0.0.1",
                ["inference_port"] = sim.Port,
                ["max_concurrent"] = streams * 2,
                ["models"] = new JsonObject { [Model] = new JsonObject { ["args"] = new JsonArray("--max-model-len", "32768") } },
            };
            (await client.PostAsJsonAsync("/admin/v1/nodes", node)).EnsureSuccessStatusCode();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await LedgerLoad.FundedKeyAsync(client, gateway.BaseUrl));

            // Warm-up: short streams, so pools, JIT and caches are in the idle figure.
            await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => OpenAsync(client, 2, null, CancellationToken.None)));
            await Task.Delay(2000);
            var idle = gateway.ResidentKiB();

            using var hold = new CancellationTokenSource();
            var ready = new CountdownEvent(streams);
            var clock = Stopwatch.StartNew();
            var open = Enumerable.Range(0, streams).Select(_ => OpenAsync(client, 1000, ready, hold.Token)).ToList();
            var allOpen = ready.Wait(TimeSpan.FromMinutes(3));
            await Task.Delay(2000);
            var loaded = gateway.ResidentKiB();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"open streams: {streams - ready.CurrentCount} of {streams} showing content after {clock.Elapsed.TotalSeconds:F1} s{(allOpen ? string.Empty : " (timed out)")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gateway VmRSS: idle {idle / 1024.0:F1} MiB, with the streams {loaded / 1024.0:F1} MiB, per stream {(loaded - idle) * 1024.0 / Math.Max(1, streams - ready.CurrentCount) / 1024:F1} KiB"));
            await hold.CancelAsync();
            await Task.WhenAll(open);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A stream over HTTP/2 that signals once content arrives and then reads until cancelled.</summary>
    private static async Task OpenAsync(HttpClient client, int tokens, CountdownEvent? ready, CancellationToken hold)
    {
        var body = $$"""{"model":"{{Model}}","max_tokens":2048,"stream":true,"messages":[{"role":"user","content":"hold [[sim:tokens={{tokens}}]]"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, hold);

            await using var stream = await response.Content.ReadAsStreamAsync(hold);
            var buffer = new byte[4096];
            var signalled = false;
            int read;
            while ((read = await stream.ReadAsync(buffer, hold)) > 0)
            {
                if (!signalled && ready is not null && GatewayOverheadBench.HasContent(buffer.AsSpan(0, read)))
                {
                    signalled = true;
                    ready.Signal();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
