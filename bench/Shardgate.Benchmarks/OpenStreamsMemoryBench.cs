using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
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
    private const string Model = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";

    public static async Task RunAsync(string[] args)
    {
        var streams = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var dll = Path.Combine(AppContext.BaseDirectory, "shardgate.dll");
        var directory = Directory.CreateTempSubdirectory("shardgate-memory-").FullName;
        var simPort = FreePort();
        var gatewayPort = FreePort();
        using var sim = Start(dll, $"sim --family qwen --port {simPort} --tokens-per-second 1 --ttft-ms 0 --max-concurrent {streams * 2}", []);
        using var gateway = Start(dll, $"serve --urls http://127.0.0.1:{gatewayPort} --Kestrel:EndpointDefaults:Protocols Http2 --Shardgate:Admission:MaxConcurrent 0 --Shardgate:Hedging:Enabled false --Logging:LogLevel:Default Warning", new()
        {
            ["SHARDGATE_DB"] = Path.Combine(directory, "memory.db"),
            ["SHARDGATE_ADMIN_KEY"] = "load",
        });
        try
        {
            var baseUrl = new Uri($"http://127.0.0.1:{gatewayPort}");
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true, MaxConnectionsPerServer = 1000 }) { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "load");
            await WaitUntilUpAsync(client);
            var node = new JsonObject
            {
                ["id"] = "sim",
                ["host"] = "127.0.0.1",
                ["inference_port"] = simPort,
                ["max_concurrent"] = streams * 2,
                ["models"] = new JsonObject { [Model] = new JsonObject { ["args"] = new JsonArray("--max-model-len", "32768") } },
            };
            (await client.PostAsJsonAsync("/admin/v1/nodes", node)).EnsureSuccessStatusCode();

            // Warm-up: short streams, so pools, JIT and caches are in the idle figure.
            await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => OpenAsync(client, 2, null, CancellationToken.None)));
            await Task.Delay(2000);
            var idle = Rss(gateway.Id);

            using var hold = new CancellationTokenSource();
            var ready = new CountdownEvent(streams);
            var clock = Stopwatch.StartNew();
            var open = Enumerable.Range(0, streams).Select(_ => OpenAsync(client, 1000, ready, hold.Token)).ToList();
            var allOpen = ready.Wait(TimeSpan.FromMinutes(3));
            await Task.Delay(2000);
            var loaded = Rss(gateway.Id);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"open streams: {streams - ready.CurrentCount} of {streams} showing content after {clock.Elapsed.TotalSeconds:F1} s{(allOpen ? string.Empty : " (timed out)")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gateway VmRSS: idle {idle / 1024.0:F1} MiB, with the streams {loaded / 1024.0:F1} MiB, per stream {(loaded - idle) * 1024.0 / Math.Max(1, streams - ready.CurrentCount) / 1024:F1} KiB"));
            await hold.CancelAsync();
            await Task.WhenAll(open);
        }
        finally
        {
            Stop(gateway);
            Stop(sim);
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

    private static async Task WaitUntilUpAsync(HttpClient client)
    {
        for (var i = 0; i < 120; i++)
        {
            try
            {
                using var r = await client.GetAsync("/healthz");
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException("the gateway did not start within 60 s");
    }

    private static long Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static Process Start(string dll, string arguments, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
