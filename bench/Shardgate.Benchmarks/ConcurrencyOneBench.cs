using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;

namespace Shardgate.Benchmarks;

/// <summary>
/// The concurrency-1 comparison of the overhead benchmark alone, in repeated rounds (direct, pass-through, gateway,
/// and again), so a change to the latency tail can be A/B-ed in a minute instead of the whole run. For the gateway it
/// also says where its slow requests spent their time: of the requests that added over 0.5 ms to direct's median,
/// how many, and the gateway's own X-Shardgate-Overhead-Ms for them — low means the time went outside the gateway's
/// code (the kernel, the scheduler, the host), high means inside it.
/// Usage: dotnet run -c Release --project bench/Shardgate.Benchmarks -- latency [seconds per round] [rounds]
/// </summary>
internal static class ConcurrencyOneBench
{
    private const double SlowMs = 0.5;

    public static async Task RunAsync(string[] args)
    {
        var seconds = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5);
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        using var rig = await OverheadRig.StartAsync(GatewayOverheadBench.GatewayEnvironment("default"));
        using var directClient = GatewayOverheadBench.NewClient(null);
        using var proxyClient = GatewayOverheadBench.NewClient(null);
        using var gatewayClient = GatewayOverheadBench.NewClient(rig.Key);
        using var admin = GatewayOverheadBench.NewClient("load");
        var direct = (directClient, new Uri(rig.Sim.BaseUrl, "/v1/chat/completions"));
        var proxy = (proxyClient, new Uri(rig.Proxy.BaseUrl, "/v1/chat/completions"));
        var gateway = (gatewayClient, new Uri(rig.Gateway.BaseUrl, "/v1/chat/completions"));

        Console.WriteLine($"concurrency-1 latency: {Environment.ProcessorCount} cores shared by the load generator, the simulated host, the pass-through and the gateway (pid {rig.Gateway.Id}{GatewayOverheadBench.Knobs()}); {rounds} rounds of {seconds.TotalSeconds:0} s per target, after a warm-up of 5 s at 64 concurrent per target");
        foreach (var (client, url) in new[] { direct, proxy, gateway })
        {
            await LoadGenerator.ClosedLoopAsync(async () => (await SendAsync(client, url)).Ok, 64, TimeSpan.FromSeconds(5));
        }

        for (var round = 1; round <= rounds; round++)
        {
            var baseline = await SequentialAsync(direct, seconds, double.MaxValue);
            var throughProxy = await SequentialAsync(proxy, seconds, double.MaxValue);
            var slowAbove = baseline.Latency.Percentile(0.5) + SlowMs;
            var before = await GatewayOverheadBench.AdminAsync(admin, rig.Gateway, "/admin/v1/runtime");
            var throughGateway = await SequentialAsync(gateway, seconds, slowAbove);
            var after = await GatewayOverheadBench.AdminAsync(admin, rig.Gateway, "/admin/v1/runtime");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: added p50/p99/p99.9 pass-through {Added(throughProxy, baseline)}, Shardgate {Added(throughGateway, baseline)}; Shardgate's own time p50 {throughGateway.Own.Percentile(0.5):F3} ms, p99 {throughGateway.Own.Percentile(0.99):F3} ms; " +
                $"{throughGateway.SlowOwn.Count} requests ({100.0 * throughGateway.SlowOwn.Count / Math.Max(1, throughGateway.Latency.Count):F2}%) added over {SlowMs} ms, their own time p50 {throughGateway.SlowOwn.Percentile(0.5):F3} ms, p90 {throughGateway.SlowOwn.Percentile(0.9):F3} ms; failures {baseline.Failures}/{throughProxy.Failures}/{throughGateway.Failures}; " +
                $"the gateway meanwhile: {Delta<int>(before, after, "gen0_collections")} gen-0 GCs, pauses {Delta<double>(before, after, "gc_pause_total_ms"):F1} ms, {Delta<long>(before, after, "jit_methods")} methods compiled in {Delta<double>(before, after, "jit_time_ms"):F1} ms"));
        }
    }

    private static string Added(Round round, Round baseline) => string.Create(CultureInfo.InvariantCulture,
        $"{round.Latency.Percentile(0.5) - baseline.Latency.Percentile(0.5):F3}/{round.Latency.Percentile(0.99) - baseline.Latency.Percentile(0.99):F3}/{round.Latency.Percentile(0.999) - baseline.Latency.Percentile(0.999):F3} ms");

    private static T Delta<T>(JsonObject before, JsonObject after, string name)
        where T : INumber<T> => after[name]!.GetValue<T>() - before[name]!.GetValue<T>();

    /// <summary>One request after another for <paramref name="duration"/>; own times are those the gateway reports.</summary>
    private static async Task<Round> SequentialAsync((HttpClient Client, Uri Url) target, TimeSpan duration, double slowAboveMs)
    {
        var round = new Round();
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var started = Stopwatch.GetTimestamp();
            var (ok, own) = await SendAsync(target.Client, target.Url);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            round.Latency.RecordMilliseconds(ms);
            round.Failures += ok ? 0 : 1;
            if (own is { } value)
            {
                round.Own.RecordMilliseconds(value);
                if (ms > slowAboveMs)
                {
                    round.SlowOwn.RecordMilliseconds(value);
                }
            }
        }

        return round;
    }

    private static async Task<(bool Ok, double? OwnMs)> SendAsync(HttpClient client, Uri url)
    {
        using var response = await ChatPosts.SendAsync(client, url, ChatPosts.Completion);
        await response.Content.CopyToAsync(Stream.Null);
        double? own = response.Headers.TryGetValues("X-Shardgate-Overhead-Ms", out var values) ? double.Parse(values.First(), CultureInfo.InvariantCulture) : null;
        return (response.IsSuccessStatusCode, own);
    }

    private sealed class Round
    {
        public LatencyHistogram Latency { get; } = new();

        public LatencyHistogram Own { get; } = new();

        public LatencyHistogram SlowOwn { get; } = new();

        public int Failures { get; set; }
    }
}
