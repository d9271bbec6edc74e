using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Shardgate.Hosting;
using Shardgate.Ledger;
using Shardgate.Simulator;
using Shardgate.Storage;

namespace Shardgate.Benchmarks;

/// <summary>
/// Ledger throughput on one hot account: a closed loop of non-streaming requests through the gateway to a
/// zero-latency simulated host, all billed to one account, on loopback, for a fixed time. Reports requests per
/// second, latency percentiles, the group-commit batch size and the log backlog. Compares with the same load on the
/// admin key, which is logged but not billed.
/// Usage: dotnet run -c Release --project bench/Shardgate.Benchmarks -- ledger [seconds] [concurrency] [database]
/// </summary>
internal static class LedgerLoad
{
    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32;
        var database = args.Length > 3 ? args[3] : null;
        await using var host = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxConcurrent = 10_000 });
        await using var gateway = await InProcessGateway.StartAsync("load", database);
        var baseUrl = gateway.BaseUrl;
        var key = await ProvisionAsync(baseUrl, host.BaseUrl);
        var writer = gateway.App.Services.GetRequiredService<RequestLogWriter>();
        Console.WriteLine($"database: {(database?.Contains("Host=", StringComparison.Ordinal) == true ? "PostgreSQL" : "SQLite")}, {concurrency} concurrent, {seconds} s per run");
        await MeasureAsync("warm-up (not counted)", baseUrl, key, 3, concurrency, writer, print: false);
        await MeasureAsync("billed (one account)", baseUrl, key, seconds, concurrency, writer);
        await MeasureAsync("admin key (not billed)", baseUrl, "load", seconds, concurrency, writer);
    }

    private static async Task MeasureAsync(string label, Uri baseUrl, string key, int seconds, int concurrency, RequestLogWriter writer, bool print = true)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = baseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var url = new Uri(baseUrl, "/v1/chat/completions");
        var commits = writer.Commits;
        var rows = writer.RowsCommitted;
        var latencies = new List<double>[concurrency];
        var failures = 0;
        var maxBacklog = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t = Stopwatch.GetTimestamp();
                using var response = await ChatPosts.SendAsync(client, url, ChatPosts.Completion);
                await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }

                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                maxBacklog = Math.Max(maxBacklog, writer.Backlog);
            }
        }).ToList();
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await writer.FlushAsync();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double P(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        var batch = (double)(writer.RowsCommitted - rows) / Math.Max(1, writer.Commits - commits);
        if (!print)
        {
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-24} {all.Length / elapsed,8:F0} req/s   p50 {P(0.50),6:F2} ms   p99 {P(0.99),6:F2} ms   {batch,5:F1} rows/commit   max backlog {maxBacklog}   non-2xx {failures}"));
    }

    /// <summary>Registers the host, prices Qwen, funds one account and returns its key (the admin key is "load").</summary>
    internal static async Task<string> ProvisionAsync(Uri gateway, Uri host)
    {
        using var admin = new HttpClient { BaseAddress = gateway };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "load");
        var node = new JsonObject
        {
            ["id"] = "sim",
            ["host"] = host.Host,
            ["inference_port"] = host.Port,
            ["max_concurrent"] = 10_000,
            ["models"] = new JsonObject { [ChatPosts.Model] = new JsonObject { ["args"] = new JsonArray("--max-model-len", "32768") } },
        };
        (await admin.PostAsJsonAsync("/admin/v1/nodes", node)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/admin/v1/prices", new JsonObject { ["model"] = ChatPosts.Model, ["input_per_token"] = 2, ["output_per_token"] = 8 })).EnsureSuccessStatusCode();
        return await FundedKeyAsync(admin, gateway);
    }

    /// <summary>An account credited with 1,000 GNK and its key, through <paramref name="admin"/> (an admin-key client): the admin key is no API key.</summary>
    internal static async Task<string> FundedKeyAsync(HttpClient admin, Uri gateway)
    {
        using var account = await admin.PostAsJsonAsync(new Uri(gateway, "/admin/v1/accounts"), new JsonObject { ["name"] = "hot" });
        var id = (await account.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        (await admin.PostAsJsonAsync(new Uri(gateway, $"/admin/v1/accounts/{id}/credit"), new JsonObject { ["amount"] = 1_000_000_000_000L })).EnsureSuccessStatusCode();
        // SHARDGATE_BENCH_LIMITS=on gives the key limits it never reaches, so every request passes the key limiter
        // (in this process, or in Redis when the gateway has SHARDGATE_REDIS): its cost, not a refusal, is measured.
        var limits = Environment.GetEnvironmentVariable("SHARDGATE_BENCH_LIMITS") == "on"
            ? new JsonObject { ["limits"] = new JsonObject { ["requests_per_minute"] = 1_000_000_000, ["tokens_per_minute"] = 1_000_000_000_000L, ["max_concurrent"] = 1_000_000 } }
            : null;
        using var key = limits is null
            ? await admin.PostAsync(new Uri(gateway, $"/admin/v1/accounts/{id}/keys"), null)
            : await admin.PostAsJsonAsync(new Uri(gateway, $"/admin/v1/accounts/{id}/keys"), limits);
        return (await key.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
    }
}
