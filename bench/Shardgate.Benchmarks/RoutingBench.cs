using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Simulator;

namespace Shardgate.Benchmarks;

/// <summary>
/// The same workloads routed three ways — random host, weighted-random host (both chosen by the client, straight to
/// the host, as a naive gateway would) and Shardgate — over eight simulated hosts on loopback. Three workloads:
/// mixed context windows (success rate), prefix-heavy multi-turn chats (time to first token), and one stalling host
/// in eight (p99 latency against a healthy fleet). Every loop is a fixed number of requests.
/// Usage: dotnet run -c Release --project bench/Shardgate.Benchmarks -- routing [scale] [context|prefix|stall]
/// </summary>
internal static class RoutingBench
{
    private static readonly double[] FleetWeights = [1, 1, 1, 1, 2, 2, 4, 4];
    private static readonly RoutingStrategy[] Strategies = [RoutingStrategy.Random, RoutingStrategy.Weighted, RoutingStrategy.Shardgate];

    public static async Task RunAsync(string[] args)
    {
        var scale = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1.0;
        Console.WriteLine($"routing benchmark: 8 simulated Qwen hosts, weights {string.Join('/', FleetWeights)}, {Environment.ProcessorCount} cores shared by client, gateway and hosts");
        var only = args.Length > 2 ? args[2] : null;
        await WarmUpAsync();
        if (only is null or "context")
        {
            await MixedContextAsync((int)(400 * scale));
        }

        if (only is null or "prefix")
        {
            await PrefixHeavyAsync((int)(40 * scale), turns: 16);
        }

        if (only is null or "stall")
        {
            await StallingHostAsync((int)(1000 * scale));
        }
    }

    /// <summary>Windows of 8k (4 hosts), 32k (2) and 128k (2) tokens; half the prompts are 1k tokens, 30% 16k, 20% 80k.</summary>
    private static async Task MixedContextAsync(int requests)
    {
        Console.WriteLine($"\n1. mixed context windows: {requests} requests, 16 concurrent, prompts 1k/16k/80k tokens (50/30/20%), windows 8k x4, 32k x2, 128k x2");
        int[] windows = [8_192, 8_192, 8_192, 8_192, 32_768, 32_768, 131_072, 131_072];
        var hosts = windows.Select(w => new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = w, MaxConcurrent = 256 }).ToList();
        var bodies = Enumerable.Range(0, requests).Select(i => RoutingFleet.Body(new JsonArray(Message("user", Text(i, (i % 10) switch { < 5 => 1_000, < 8 => 16_000, _ => 80_000 }))), 32)).ToArray();
        foreach (var strategy in Strategies)
        {
            await using var fleet = await RoutingFleet.StartAsync(hosts, FleetWeights, TimeSpan.FromSeconds(30));
            var results = await RunClosedLoopAsync(fleet, strategy, bodies, 16);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {strategy,-10} success {100.0 * results.Count(r => r.Ok) / results.Length,6:F1} %   ({results.Count(r => !r.Ok)} failed)"));
        }
    }

    /// <summary>
    /// Conversations with their own 8k-token document as system prompt, each turn adding a question and the previous
    /// answer; the hosts prefill uncached tokens at 40k tokens/s after a 10 ms base, so a cache hit saves ~200 ms.
    /// </summary>
    private static async Task PrefixHeavyAsync(int conversations, int turns)
    {
        Console.WriteLine($"\n2. prefix-heavy multi-turn: {conversations} conversations x {turns} turns, 16 conversations at once, 8k-token document each; TTFT 10 ms + uncached tokens / 40k per s");
        var hosts = FleetWeights.Select(_ => new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 65_536, TimeToFirstToken = TimeSpan.FromMilliseconds(10), PrefillTokensPerSecond = 40_000, MaxConcurrent = 256 }).ToList();
        foreach (var strategy in Strategies)
        {
            await using var fleet = await RoutingFleet.StartAsync(hosts, FleetWeights, TimeSpan.FromSeconds(30));
            var results = new List<RoutedResult>();
            using var gate = new SemaphoreSlim(16);
            var tasks = Enumerable.Range(0, conversations).Select(async c =>
            {
                await gate.WaitAsync();
                try
                {
                    var random = new Random(c);
                    var messages = new JsonArray(Message("system", Text(c * 1000, 8_000)));
                    for (var t = 0; t < turns; t++)
                    {
                        messages.Add(Message("user", $"Question {t} about document {c}: {Text((c * 1000) + t + 1, 40)}"));
                        var result = await fleet.SendAsync(strategy, RoutingFleet.Body(messages, 16), random);
                        lock (results)
                        {
                            results.Add(result);
                        }

                        messages.Add(Message("assistant", $"Answer {t}: {Text((c * 1000) + t + 500, 16)}"));
                    }
                }
                finally
                {
                    gate.Release();
                }
            });
            await Task.WhenAll(tasks);
            var ttft = results.Where(r => r.Ok).Select(r => r.TtftMs).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {strategy,-10} TTFT p50 {P(ttft, 0.50),7:F1} ms   p90 {P(ttft, 0.90),7:F1} ms   p99 {P(ttft, 0.99),7:F1} ms   ({results.Count(r => !r.Ok)} failed)"));
        }
    }

    /// <summary>One host in eight sends its role chunk and falls silent (a stalled GPU); the client gives up after 5 s.</summary>
    private static async Task StallingHostAsync(int requests)
    {
        Console.WriteLine($"\n3. one stalling host in eight: {requests} streams, 16 concurrent, TTFT 20 ms, 64 tokens at 2000 tokens/s, equal weights, client timeout 5 s");
        var healthy = new SimulatedHostOptions { Family = ModelFamily.Qwen, TimeToFirstToken = TimeSpan.FromMilliseconds(20), TokensPerSecond = 2_000, MaxConcurrent = 256, StallLimit = TimeSpan.FromSeconds(20) };
        double[] weights = [1, 1, 1, 1, 1, 1, 1, 1];
        var bodies = Enumerable.Range(0, requests).Select(i => RoutingFleet.Body(new JsonArray(Message("user", $"Request {i} [[sim:tokens=64]]")), 64)).ToArray();
        var healthyFleet = weights.Select(_ => healthy).ToList();
        var withStaller = weights.Select((_, i) => i == 0 ? healthy with { Fault = "stall-after=1" } : healthy).ToList();
        // Shardgate alternates healthy and stalling fleets three times, because p99 on two shared cores is noisy.
        var ratios = new List<double>();
        var healthyP99 = 0.0;
        for (var round = 1; round <= 3; round++)
        {
            healthyP99 = await MeasureAsync($"Shardgate, all healthy #{round}", RoutingStrategy.Shardgate, healthyFleet, null);
            ratios.Add(await MeasureAsync($"Shardgate, 1 stalling #{round}", RoutingStrategy.Shardgate, withStaller, healthyP99) / healthyP99);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   Shardgate p99 with a stalling host / healthy p99: median {ratios.Order().ElementAt(1):F2} (rounds: {string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))})"));
        await MeasureAsync("Random, 1 stalling", RoutingStrategy.Random, withStaller, healthyP99);
        await MeasureAsync("Weighted, 1 stalling", RoutingStrategy.Weighted, withStaller, healthyP99);

        async Task<double> MeasureAsync(string label, RoutingStrategy strategy, List<SimulatedHostOptions> hosts, double? healthyP99)
        {
            await using var fleet = await RoutingFleet.StartAsync(hosts, weights, TimeSpan.FromSeconds(5));
            var results = await RunClosedLoopAsync(fleet, strategy, bodies, 16);
            var total = results.Select(r => r.TotalMs).Order().ToArray();
            var p99 = P(total, 0.99);
            var slow = total.Count(t => t > 2 * (healthyP99 ?? p99));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {label,-26} p50 {P(total, 0.50),8:F1} ms   p99 {p99,8:F1} ms   max {total[^1],8:F1} ms   slower than 2x healthy p99: {slow,4}   ({results.Count(r => !r.Ok)} failed)"));
            return p99;
        }
    }

    /// <summary>JIT and connection pools warm on a throwaway fleet, so the first measured strategy is not the cold one.</summary>
    private static async Task WarmUpAsync()
    {
        var hosts = FleetWeights.Select(_ => new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxConcurrent = 256 }).ToList();
        var bodies = Enumerable.Range(0, 300).Select(i => RoutingFleet.Body(new JsonArray(Message("user", $"warm-up {i}")), 16)).ToArray();
        await using var fleet = await RoutingFleet.StartAsync(hosts, FleetWeights, TimeSpan.FromSeconds(5));
        await RunClosedLoopAsync(fleet, RoutingStrategy.Random, bodies, 16);
        await RunClosedLoopAsync(fleet, RoutingStrategy.Shardgate, bodies, 16);
    }

    private static async Task<RoutedResult[]> RunClosedLoopAsync(RoutingFleet fleet, RoutingStrategy strategy, byte[][] bodies, int concurrency)
    {
        var results = new RoutedResult[bodies.Length];
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async w =>
        {
            var random = new Random(w);
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                results[i] = await fleet.SendAsync(strategy, bodies[i], random);
            }
        });
        await Task.WhenAll(workers);
        return results;
    }

    private static JsonObject Message(string role, string content) => new() { ["role"] = role, ["content"] = content };

    /// <summary>About <paramref name="tokens"/> tokens (four bytes each) of text unique to <paramref name="seed"/>.</summary>
    private static string Text(int seed, int tokens)
    {
        var random = new Random(seed);
        var text = new StringBuilder(tokens * 4);
        while (text.Length < tokens * 4)
        {
            text.Append(CultureInfo.InvariantCulture, $"w{random.Next(1000):D3} ");
        }

        return text.ToString(0, tokens * 4);
    }

    private static double P(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}
