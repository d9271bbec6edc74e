using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Shardgate.Hosting;
using Shardgate.Simulator;

namespace Shardgate.Benchmarks;

/// <summary>
/// What the gateway adds: the same requests sent straight to a zero-latency simulated host and through the gateway
/// (SQLite, billing on: a priced model and a funded key), side by side in one run, on loopback. Reports added
/// latency at concurrency 1 and at half the gateway's saturation (open loop), the throughput ratio, the added time
/// to first token and per output token when streaming, and the gateway's own X-Shardgate-Overhead-Ms.
/// Usage: dotnet run -c Release --project bench/Shardgate.Benchmarks -- overhead [seconds per run]
/// </summary>
internal static class GatewayOverheadBench
{
    private const int StreamTokens = 64;
    private static readonly byte[] Completion = Encoding.UTF8.GetBytes("""{"model":"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8","max_tokens":16,"messages":[{"role":"user","content":"count [[sim:tokens=8]]"}]}""");
    private static readonly byte[] Stream = Encoding.UTF8.GetBytes($$"""{"model":"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8","max_tokens":128,"stream":true,"messages":[{"role":"user","content":"stream [[sim:tokens={{StreamTokens}}]]"}]}""");

    public static async Task RunAsync(string[] args)
    {
        var seconds = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5);
        await using var host = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxConcurrent = 100_000 });
        await using var app = await InProcessGateway.StartAsync("load");
        var gatewayUrl = app.BaseUrl;
        var key = await LedgerLoad.ProvisionAsync(gatewayUrl, host.BaseUrl);
        using var directClient = NewClient(null);
        using var gatewayClient = NewClient(key);
        var direct = new Uri(host.BaseUrl, "v1/chat/completions");
        var gateway = new Uri(gatewayUrl, "/v1/chat/completions");
        var overhead = new LatencyHistogram();
        Func<Task<bool>> Send(HttpClient client, Uri url, LatencyHistogram? overheads = null) => () => SendAsync(client, url, overheads);

        Console.WriteLine($"overhead benchmark: {Environment.ProcessorCount} cores shared by load generator, gateway (SQLite, billing on) and simulated host; {seconds.TotalSeconds:0} s per run, after a warm-up");
        await LoadGenerator.ClosedLoopAsync(Send(directClient, direct), 8, TimeSpan.FromSeconds(2));
        await LoadGenerator.ClosedLoopAsync(Send(gatewayClient, gateway), 8, TimeSpan.FromSeconds(3));

        var directOne = await LoadGenerator.ClosedLoopAsync(Send(directClient, direct), 1, seconds);
        var gatewayOne = await LoadGenerator.ClosedLoopAsync(Send(gatewayClient, gateway, overhead), 1, seconds);
        Row("1. non-stream, concurrency 1", directOne, gatewayOne);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   X-Shardgate-Overhead-Ms (gateway's own view): p50 {overhead.Percentile(0.5):F3} ms, p99 {overhead.Percentile(0.99):F3} ms"));

        var directMax = await LoadGenerator.ClosedLoopAsync(Send(directClient, direct), 64, seconds);
        var gatewayMax = await LoadGenerator.ClosedLoopAsync(Send(gatewayClient, gateway), 64, seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"2. max throughput (64 concurrent): direct {directMax.PerSecond:F0} req/s, gateway {gatewayMax.PerSecond:F0} req/s, ratio {gatewayMax.PerSecond / directMax.PerSecond:F2} (failures {directMax.Failures}/{gatewayMax.Failures})"));

        var half = gatewayMax.PerSecond / 2;
        var directHalf = await LoadGenerator.OpenLoopAsync(Send(directClient, direct), half, seconds);
        var gatewayHalf = await LoadGenerator.OpenLoopAsync(Send(gatewayClient, gateway), half, seconds);
        Row(string.Create(CultureInfo.InvariantCulture, $"3. non-stream, open loop at {half:F0} req/s (50% of gateway max)"), directHalf, gatewayHalf);

        var (directTtft, directToken) = await StreamAsync(directClient, direct, seconds);
        var (gatewayTtft, gatewayToken) = await StreamAsync(gatewayClient, gateway, seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"4. stream, concurrency 1, {StreamTokens} tokens: TTFT p50 direct {directTtft.Percentile(0.5):F3} ms, gateway {gatewayTtft.Percentile(0.5):F3} ms, added {gatewayTtft.Percentile(0.5) - directTtft.Percentile(0.5):F3} ms; p99 added {gatewayTtft.Percentile(0.99) - directTtft.Percentile(0.99):F3} ms; per output token p50 direct {directToken.Percentile(0.5) * 1000:F1} µs, gateway {gatewayToken.Percentile(0.5) * 1000:F1} µs"));
    }

    private static void Row(string label, LoadResult direct, LoadResult gateway)
    {
        Console.WriteLine(label);
        foreach (var (name, q) in new[] { ("p50", 0.5), ("p99", 0.99), ("p99.9", 0.999) })
        {
            var d = direct.Latency.Percentile(q);
            var g = gateway.Latency.Percentile(q);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {name,-6} direct {d,8:F3} ms   gateway {g,8:F3} ms   added {g - d,8:F3} ms"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   requests: direct {direct.Latency.Count} ({direct.Failures} failed), gateway {gateway.Latency.Count} ({gateway.Failures} failed)"));
    }

    private static HttpClient NewClient(string? key)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) });
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private static async Task<bool> SendAsync(HttpClient client, Uri url, LatencyHistogram? overheads)
    {
        using var content = new ByteArrayContent(Completion);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(url, content);
        await response.Content.CopyToAsync(System.IO.Stream.Null);
        if (overheads is not null && response.Headers.TryGetValues("X-Shardgate-Overhead-Ms", out var values))
        {
            overheads.RecordMilliseconds(double.Parse(values.First(), CultureInfo.InvariantCulture));
        }

        return response.IsSuccessStatusCode;
    }

    // A content event with text, not the role chunk's empty content.
    internal static bool HasContent(ReadOnlySpan<byte> bytes)
    {
        int at;
        while ((at = bytes.IndexOf("\"content\":\""u8)) >= 0)
        {
            bytes = bytes[(at + 11)..];
            if (!bytes.IsEmpty && bytes[0] != (byte)'"')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Streams at concurrency 1: time to the first content event, and time per token after it.</summary>
    private static async Task<(LatencyHistogram Ttft, LatencyHistogram PerToken)> StreamAsync(HttpClient client, Uri url, TimeSpan duration)
    {
        var ttft = new LatencyHistogram();
        var perToken = new LatencyHistogram();
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var buffer = new byte[16 * 1024];
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var start = Stopwatch.GetTimestamp();
            using var content = new ByteArrayContent(Stream);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            long first = 0;
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                if (first == 0 && HasContent(buffer.AsSpan(0, read)))
                {
                    first = Stopwatch.GetTimestamp();
                }
            }

            var end = Stopwatch.GetTimestamp();
            if (first == 0)
            {
                first = end;
            }

            ttft.RecordMilliseconds((first - start) * 1000.0 / Stopwatch.Frequency);
            perToken.RecordMilliseconds((end - first) * 1000.0 / Stopwatch.Frequency / StreamTokens);
        }

        return (ttft, perToken);
    }
}
