using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Shardgate.Tests.Infrastructure;

/// <summary>
/// The real Prometheus the tests may use (<c>SHARDGATE_TEST_PROMETHEUS</c>, its URL; .ci/run starts one with
/// deploy/prometheus/ci.yml, which scrapes <see cref="ScrapeTarget"/> every second).
/// </summary>
internal static class TestPrometheus
{
    public const string SkipReason = "SHARDGATE_TEST_PROMETHEUS is not set: no Prometheus to scrape the gateway (scripts/start-test-prometheus.sh starts one).";

    /// <summary>Where deploy/prometheus/ci.yml looks for the gateway's metrics.</summary>
    public const string ScrapeTarget = "http://127.0.0.1:29464";

    public static string? Url => Environment.GetEnvironmentVariable("SHARDGATE_TEST_PROMETHEUS") is { Length: > 0 } s ? s : null;

    /// <summary>Waits (bounded) until the instant query <paramref name="promql"/> returns <paramref name="expected"/>; returns the last value seen.</summary>
    public static async Task<double?> WaitForValueAsync(string promql, double expected)
    {
        using var client = new HttpClient { BaseAddress = new Uri(Url!), Timeout = TimeSpan.FromSeconds(10) };
        double? last = null;
        // Bounded at 60 s: Prometheus scrapes every second, and a busy machine may delay a few scrapes.
        for (var i = 0; i < 240; i++)
        {
            var answer = await client.GetFromJsonAsync<JsonObject>("/api/v1/query?query=" + Uri.EscapeDataString(promql));
            if (answer!["data"]!["result"]!.AsArray() is [var first, ..])
            {
                last = double.Parse(first!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);
                if (last == expected)
                {
                    return last;
                }
            }

            await Task.Delay(250);
        }

        return last;
    }
}
