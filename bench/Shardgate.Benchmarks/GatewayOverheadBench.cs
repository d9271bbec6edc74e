using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Shardgate.Benchmarks;

/// <summary>
/// What the gateway adds. A zero-latency simulated host, a naive ASP.NET pass-through, nginx as a plain proxy (when
/// installed) and the gateway (SQLite, billing on: a priced model and a funded key) each run as their own process on
/// loopback; the same requests go straight to the host and through each of them, side by side in one run. Reports added
/// latency at concurrency 1 and at half the gateway's saturation (open loop), the throughput ratio, the added time
/// to first token and per output token when streaming, the gateway's own X-Shardgate-Overhead-Ms, and whether the
/// request log kept up at the maximum rate (its backlog, and every row committed).
/// Usage: dotnet run -c Release --project bench/Shardgate.Benchmarks -- overhead [seconds per round] [default|workstation|server|datas]
/// </summary>
internal static class GatewayOverheadBench
{
    private const int StreamTokens = 64;

    // Concurrency 1 and the maximum rate are measured in interleaved rounds (direct, pass-through, gateway, again):
    // this machine's speed drifts over tens of seconds (the same code's CPU per request ranged 73–112 µs back to
    // back), and a comparison of runs minutes apart measured the drift as much as the gateway.
    private const int Rounds = 3;
    private static readonly byte[] Stream = ChatPosts.Stream(StreamTokens);

    public static async Task RunAsync(string[] args)
    {
        var seconds = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5);
        var gc = args.Length > 2 ? args[2] : "default";
        using var rig = await OverheadRig.StartAsync(GatewayEnvironment(gc));
        await MeasureAsync(rig, seconds, gc);
    }

    private static async Task MeasureAsync(OverheadRig rig, TimeSpan seconds, string gc)
    {
        var (sim, gateway) = (rig.Sim, rig.Gateway);
        var direct = new Target("direct", NewClient(null), new Uri(sim.BaseUrl, "/v1/chat/completions"), null);
        var passThrough = new Target("pass-through", NewClient(null), new Uri(rig.Proxy.BaseUrl, "/v1/chat/completions"), rig.Proxy);
        var shardgate = new Target("Shardgate", NewClient(rig.Key), new Uri(gateway.BaseUrl, "/v1/chat/completions"), gateway);
        Target[] targets = rig.Nginx is { } nginx
            ? [direct, passThrough, new Target("nginx", NewClient(null), new Uri(nginx.BaseUrl, "/v1/chat/completions"), nginx), shardgate]
            : [direct, passThrough, shardgate];
        var g = targets.Length - 1;
        using var admin = NewClient("load");
        var overhead = new LatencyHistogram();

        Console.WriteLine($"overhead benchmark: {Environment.ProcessorCount} cores shared by the load generator and {targets.Length} processes (simulated host, naive pass-through, {(rig.Nginx is null ? "no nginx installed" : "nginx")}, gateway pid {gateway.Id}: SQLite, billing on, GC {gc}{Knobs()}); {seconds.TotalSeconds:0} s per round, {Rounds} interleaved rounds at concurrency 1 and at the maximum rate, after a warm-up per target of 5 s at 64 concurrent, then 5 s of each concurrency-1 workload");
        var warmUpJit = await RuntimeCountAsync(admin, gateway, "jit_methods");
        foreach (var target in targets)
        {
            // Every path measured below is run before it is measured: tiered compilation with PGO recompiles the
            // gateway's hot methods in stages as each path gets hot, and the first seconds of concurrency 1 after a
            // burst recompiled ~1,100 methods (~0.9 s of JIT on a core the requests need; the `latency` mode shows it).
            // The maximum-rate rounds poll the request log's status meanwhile, so the warm-up does too: its admin
            // path compiled ~200 methods inside the measured rounds otherwise (~2.5 µs of JIT a request).
            await WhilePollingAsync(target == shardgate, admin, gateway, () => LoadGenerator.ClosedLoopAsync(() => SendAsync(target, null), 64, TimeSpan.FromSeconds(5)));

            await LoadGenerator.ClosedLoopAsync(() => SendAsync(target, null), 1, TimeSpan.FromSeconds(5));
            await StreamAsync(target, TimeSpan.FromSeconds(5), null);
            target.FailedStatuses.Clear();
        }

        warmUpJit = await RuntimeCountAsync(admin, gateway, "jit_methods") - warmUpJit;
        var one = Array.ConvertAll(targets, _ => new LoadResult(new LatencyHistogram(), TimeSpan.Zero, 0));
        var measuredJit = 0L;
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < targets.Length; i++)
            {
                var target = targets[i];
                var overheads = target == shardgate ? overhead : null;
                var jit = await RuntimeCountAsync(admin, gateway, "jit_methods");
                one[i] = Merge(one[i], await LoadGenerator.ClosedLoopAsync(() => SendAsync(target, overheads), 1, seconds));
                measuredJit += target == shardgate ? await RuntimeCountAsync(admin, gateway, "jit_methods") - jit : 0;
            }
        }

        Rows("1. non-stream, concurrency 1", targets, one);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   X-Shardgate-Overhead-Ms (the gateway's own view): p50 {overhead.Percentile(0.5):F3} ms, p99 {overhead.Percentile(0.99):F3} ms, p99.9 {overhead.Percentile(0.999):F3} ms; the gateway compiled {warmUpJit} methods in the warm-up, {measuredJit} in these rounds"));

        var before = await DrainedLogStatusAsync(admin, gateway);
        var perSecond = new double[Rounds, targets.Length];
        var requests = new long[targets.Length];
        var failures = new int[targets.Length];
        var maxBacklog = 0;
        var maxSpooled = 0;
        var cpu = new (ProcessUse Sim, ProcessUse Front)[targets.Length];
        var loadCpu = new TimeSpan[targets.Length];
        using var self = Process.GetCurrentProcess();
        var poolItems = 0L;
        var maxRateJit = 0L;
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < targets.Length; i++)
            {
                var target = targets[i];
                var (simCpu, frontCpu) = (sim.Use(), target.Front?.Use() ?? default);
                var poolBefore = await RuntimeCountAsync(admin, gateway, "thread_pool_completed");
                var jitBefore = target == shardgate ? await RuntimeCountAsync(admin, gateway, "jit_methods") : 0;
                self.Refresh();
                var ownCpu = self.TotalProcessorTime;
                var (result, backlog, spooled) = await WhilePollingAsync(target == shardgate, admin, gateway, () => LoadGenerator.ClosedLoopAsync(() => SendAsync(target, null), 64, seconds));
                self.Refresh();
                loadCpu[i] += self.TotalProcessorTime - ownCpu;
                cpu[i] = (cpu[i].Sim + (sim.Use() - simCpu), cpu[i].Front + ((target.Front?.Use() ?? default) - frontCpu));
                poolItems += target == shardgate ? await RuntimeCountAsync(admin, gateway, "thread_pool_completed") - poolBefore : 0;
                maxRateJit += target == shardgate ? await RuntimeCountAsync(admin, gateway, "jit_methods") - jitBefore : 0;
                (perSecond[round, i], requests[i], failures[i]) = (result.PerSecond, requests[i] + result.Latency.Count, failures[i] + result.Failures);
                (maxBacklog, maxSpooled) = (Math.Max(maxBacklog, backlog), Math.Max(maxSpooled, spooled));
            }
        }

        var ratios = Enumerable.Range(0, Rounds).Select(r => perSecond[r, g] / perSecond[r, 0]).Order().ToArray();
        var proxies = string.Join(", ", Enumerable.Range(1, targets.Length - 2).Select(i => string.Create(CultureInfo.InvariantCulture, $"{targets[i].Name} {Median(perSecond, i):F0} req/s (ratio {MedianRatio(perSecond, i, 0):F2})")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"2. max throughput (64 concurrent; medians of {Rounds} interleaved rounds): direct {Median(perSecond, 0):F0} req/s, {proxies}, Shardgate {Median(perSecond, g):F0} req/s (ratio {MedianRatio(perSecond, g, 0):F2}, rounds {string.Join("/", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}; {MedianRatio(perSecond, g, 1):F2} of the pass-through); failures {string.Join("/", targets.Select((t, i) => $"{failures[i]}{Statuses(t)}"))}"));
        var fronts = string.Join("; ", Enumerable.Range(1, targets.Length - 1).Select(i => $"{targets[i].Name} {cpu[i].Front.PerRequest(requests[i])}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   CPU per request: simulated host {PerRequest(cpu[0].Sim.Total, requests[0]):F1} µs; {fronts} (the gateway's log commits included; the host {PerRequest(cpu[g].Sim.Total, requests[g]):F1} µs in its rounds); the gateway's thread-pool work items per request {(double)poolItems / Math.Max(1, requests[g]):F2}, methods it compiled in these rounds {maxRateJit}"));
        // The host and the load generator cost more per request at a lower rate (fewer requests per wake-up), so
        // the ratio a gateway reaches is not its CPU alone; this says by how much.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   the load generator and the host together per request: {string.Join(", ", targets.Select((t, i) => string.Create(CultureInfo.InvariantCulture, $"{(i == 0 ? "direct" : "through " + t.Name)} {PerRequest(loadCpu[i] + cpu[i].Sim.Total, requests[i]):F1} µs")))}"));
        var after = await DrainedLogStatusAsync(admin, gateway);
        var rows = after.Rows - before.Rows;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   request log at that rate: max backlog {maxBacklog} rows, max spooled {maxSpooled} rows, {(double)rows / Math.Max(1, after.Commits - before.Commits):F1} rows per commit, {rows} rows committed for {requests[g]} requests{(rows == requests[g] ? string.Empty : " (MISMATCH)")}"));

        var half = Median(perSecond, g) / 2;
        var open = new LoadResult[targets.Length];
        var openRuntime = string.Empty;
        for (var i = 0; i < targets.Length; i++)
        {
            // An open loop reaches code a closed loop does not (requests arriving on idle connections), and tiered
            // compilation recompiles it on first use, which on two shared cores tipped the gateway into overload
            // (429s) in about one run in three. One unmeasured round first, so the measured one is steady state.
            var target = targets[i];
            await LoadGenerator.OpenLoopAsync(() => SendAsync(target, null), half, seconds);
            target.FailedStatuses.Clear();
            using var watching = new CancellationTokenSource();
            var watcher = target == shardgate ? WatchRuntimeAsync(admin, gateway, watching.Token) : Task.FromResult(string.Empty);
            open[i] = await LoadGenerator.OpenLoopAsync(() => SendAsync(target, null), half, seconds);
            await watching.CancelAsync();
            openRuntime = await watcher;
        }

        Rows(string.Create(CultureInfo.InvariantCulture, $"3. non-stream, open loop at {half:F0} req/s (50% of the gateway's max)"), targets, open);
        Console.WriteLine($"   the gateway during it: {openRuntime}");

        Console.WriteLine($"4. stream, concurrency 1, {StreamTokens} tokens");
        var streamOverhead = new LatencyHistogram();
        var (directTtft, directToken) = await StreamAsync(direct, seconds, null);
        foreach (var target in targets)
        {
            var (ttft, perToken) = target == direct ? (directTtft, directToken) : await StreamAsync(target, seconds, target == shardgate ? streamOverhead : null);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {target.Name,-13} TTFT p50 {ttft.Percentile(0.5),7:F3} ms (added {ttft.Percentile(0.5) - directTtft.Percentile(0.5),6:F3}), p99 {ttft.Percentile(0.99),7:F3} ms (added {ttft.Percentile(0.99) - directTtft.Percentile(0.99),6:F3}); per output token p50 {perToken.Percentile(0.5) * 1000,5:F1} µs"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   X-Shardgate-Overhead-Ms of the streams (the gateway's own time to its first event): p50 {streamOverhead.Percentile(0.5):F3} ms, p99 {streamOverhead.Percentile(0.99):F3} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"5. gateway memory: VmRSS {gateway.ResidentKiB() / 1024.0:F1} MiB after the runs, peak {gateway.PeakResidentKiB() / 1024.0:F1} MiB"));
        foreach (var target in targets)
        {
            target.Client.Dispose();
        }
    }

    /// <summary>The GC mode asked for, plus every <c>GATEWAY_X=v</c> of this process as <c>X=v</c>: runtime knobs for the gateway alone.</summary>
    internal static Dictionary<string, string> GatewayEnvironment(string gc)
    {
        Dictionary<string, string> environment = gc switch
        {
            "workstation" => new() { ["DOTNET_gcServer"] = "0" },
            "server" => new() { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "0" },
            "datas" => new() { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "1" },
            "default" => [],
            _ => throw new ArgumentException("GC mode: default (the gateway's runtimeconfig), workstation, server or datas"),
        };
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith("GATEWAY_", StringComparison.Ordinal))
            {
                environment[name["GATEWAY_".Length..]] = (string)variable.Value!;
            }
        }

        return environment;
    }

    internal static string Knobs()
    {
        var knobs = GatewayEnvironment("default");
        return knobs.Count == 0 ? string.Empty : ", " + string.Join(", ", knobs.Select(k => $"{k.Key}={k.Value}"));
    }

    private static void Rows(string label, Target[] targets, LoadResult[] results)
    {
        Console.WriteLine($"{label}: {string.Join(", ", targets.Select((t, i) => $"{t.Name} {results[i].Latency.Count} requests ({results[i].Failures} failed{Statuses(t)})"))}");
        foreach (var (name, q) in new[] { ("p50", 0.5), ("p99", 0.99), ("p99.9", 0.999) })
        {
            var direct = results[0].Latency.Percentile(q);
            var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"   {name,-6} direct {direct,8:F3} ms"));
            for (var i = 1; i < targets.Length; i++)
            {
                var value = results[i].Latency.Percentile(q);
                line.Append(CultureInfo.InvariantCulture, $"   {targets[i].Name} {value,8:F3} ms (added {value - direct,7:F3})");
            }

            Console.WriteLine(line);
        }
    }

    /// <summary>The failed statuses so far (" : 503 x12"), and forgets them for the next run.</summary>
    private static string Statuses(Target target)
    {
        var text = string.Concat(target.FailedStatuses.OrderBy(s => s.Key).Select(s => $"; {s.Key} x{s.Value}"));
        target.FailedStatuses.Clear();
        return text;
    }

    private static double PerRequest(TimeSpan cpu, long requests) => cpu.TotalMicroseconds / Math.Max(1, requests);

    private static double Median(double[,] perRound, int target) => MedianOver(perRound, r => perRound[r, target]);

    /// <summary>The median over rounds of one target's rate over another's in the same round.</summary>
    private static double MedianRatio(double[,] perRound, int target, int over) => MedianOver(perRound, r => perRound[r, target] / perRound[r, over]);

    private static double MedianOver(double[,] perRound, Func<int, double> ofRound) =>
        Enumerable.Range(0, perRound.GetLength(0)).Select(ofRound).Order().ElementAt(perRound.GetLength(0) / 2);

    private static LoadResult Merge(LoadResult sum, LoadResult round)
    {
        sum.Latency.Add(round.Latency);
        return sum with { Elapsed = sum.Elapsed + round.Elapsed, Failures = sum.Failures + round.Failures };
    }

    internal static HttpClient NewClient(string? key)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) });
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private static async Task<bool> SendAsync(Target target, LatencyHistogram? overheads)
    {
        using var response = await ChatPosts.SendAsync(target.Client, target.Url, ChatPosts.Completion);
        await response.Content.CopyToAsync(System.IO.Stream.Null);
        RecordOverhead(response, overheads);
        if (!response.IsSuccessStatusCode)
        {
            target.FailedStatuses.AddOrUpdate((int)response.StatusCode, 1, static (_, count) => count + 1);
        }

        return response.IsSuccessStatusCode;
    }

    private static void RecordOverhead(HttpResponseMessage response, LatencyHistogram? overheads)
    {
        if (overheads is not null && response.Headers.TryGetValues("X-Shardgate-Overhead-Ms", out var values))
        {
            overheads.RecordMilliseconds(double.Parse(values.First(), CultureInfo.InvariantCulture));
        }
    }

    private static async Task<(int Backlog, int Spooled, long Commits, long Rows)> LogStatusAsync(HttpClient admin, ChildProcess gateway)
    {
        var status = await AdminAsync(admin, gateway, "/admin/v1/request-log");
        return (status["backlog"]!.GetValue<int>(), status["spooled"]!.GetValue<int>(), status["commits"]!.GetValue<long>(), status["rows_committed"]!.GetValue<long>());
    }

    /// <summary>
    /// Polls <c>/admin/v1/runtime</c> every 20 ms while a run lasts: the longest GC pause between two polls, the pause
    /// and gen-2 collections in all, the longest thread-pool queue, and the slowest poll (a stalled gateway answers
    /// its admin API late too). Tells a stall's cause apart: GC, work waiting for a pool thread, or neither.
    /// </summary>
    private static async Task<string> WatchRuntimeAsync(HttpClient admin, ChildProcess gateway, CancellationToken stop)
    {
        JsonObject? first = null;
        JsonObject? last = null;
        var (longestPause, longestQueue, slowestPoll) = (0.0, 0L, 0.0);
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            var now = await AdminAsync(admin, gateway, "/admin/v1/runtime");
            slowestPoll = Math.Max(slowestPoll, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            first ??= now;
            if (last is not null)
            {
                longestPause = Math.Max(longestPause, now["gc_pause_total_ms"]!.GetValue<double>() - last["gc_pause_total_ms"]!.GetValue<double>());
            }

            longestQueue = Math.Max(longestQueue, now["thread_pool_queued"]!.GetValue<long>());
            last = now;
            await Task.Delay(20, CancellationToken.None);
        }

        if (first is null || last is null)
        {
            return "no runtime reading";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"GC pause +{last["gc_pause_total_ms"]!.GetValue<double>() - first["gc_pause_total_ms"]!.GetValue<double>():F1} ms in all (longest step {longestPause:F1} ms), gen-2 collections +{last["gen2_collections"]!.GetValue<int>() - first["gen2_collections"]!.GetValue<int>()}, thread-pool queue at most {longestQueue}, slowest runtime poll {slowestPoll:F1} ms");
    }

    /// <summary>A running count from the gateway's <c>/admin/v1/runtime</c>: methods compiled, pool work items run (each a hand-off between threads).</summary>
    private static async Task<long> RuntimeCountAsync(HttpClient admin, ChildProcess gateway, string name) =>
        (await AdminAsync(admin, gateway, "/admin/v1/runtime"))[name]!.GetValue<long>();

    internal static async Task<JsonObject> AdminAsync(HttpClient admin, ChildProcess gateway, string path) =>
        (await admin.GetFromJsonAsync<JsonObject>(new Uri(gateway.BaseUrl, path)))!;

    /// <summary>The log's status once its queue and its spool are empty (at most 10 s).</summary>
    private static async Task<(int Backlog, int Spooled, long Commits, long Rows)> DrainedLogStatusAsync(HttpClient admin, ChildProcess gateway)
    {
        var status = await LogStatusAsync(admin, gateway);
        for (var i = 0; i < 100 && status.Backlog + status.Spooled > 0; i++)
        {
            await Task.Delay(100);
            status = await LogStatusAsync(admin, gateway);
        }

        return status;
    }

    /// <summary>Runs <paramref name="load"/>; when <paramref name="poll"/>, polls the gateway's request log meanwhile and returns its largest backlog and spool.</summary>
    private static async Task<(LoadResult Result, int Backlog, int Spooled)> WhilePollingAsync(bool poll, HttpClient admin, ChildProcess gateway, Func<Task<LoadResult>> load)
    {
        using var polling = new CancellationTokenSource();
        var poller = poll ? PollBacklogAsync(admin, gateway, polling.Token) : Task.FromResult((0, 0));
        var result = await load();
        await polling.CancelAsync();
        var (backlog, spooled) = await poller;
        return (result, backlog, spooled);
    }

    /// <summary>The most rows seen queued (not yet durable) and spooled (not yet in the database) while the run lasts.</summary>
    private static async Task<(int Backlog, int Spooled)> PollBacklogAsync(HttpClient admin, ChildProcess gateway, CancellationToken stop)
    {
        var max = (Backlog: 0, Spooled: 0);
        while (!stop.IsCancellationRequested)
        {
            var status = await LogStatusAsync(admin, gateway);
            max = (Math.Max(max.Backlog, status.Backlog), Math.Max(max.Spooled, status.Spooled));
            await Task.Delay(50, CancellationToken.None);
        }

        return max;
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
    private static async Task<(LatencyHistogram Ttft, LatencyHistogram PerToken)> StreamAsync(Target target, TimeSpan duration, LatencyHistogram? overheads)
    {
        var ttft = new LatencyHistogram();
        var perToken = new LatencyHistogram();
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var buffer = new byte[16 * 1024];
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await ChatPosts.SendAsync(target.Client, target.Url, Stream, HttpCompletionOption.ResponseHeadersRead);
            RecordOverhead(response, overheads);
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

    /// <summary>A way to the host: straight (<paramref name="Front"/> null) or through the process in front of it.</summary>
    private sealed record Target(string Name, HttpClient Client, Uri Url, ChildProcess? Front)
    {
        /// <summary>Failed answers by status code, so a run that fails says how.</summary>
        public ConcurrentDictionary<int, int> FailedStatuses { get; } = new();
    }
}
