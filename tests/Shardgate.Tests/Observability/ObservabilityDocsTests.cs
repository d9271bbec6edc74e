using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Observability;

/// <summary>docs/observability.md and the Grafana dashboard name exactly the instruments a running gateway has.</summary>
public sealed partial class ObservabilityDocsTests
{
    [Fact]
    public async Task Every_instrument_is_documented_and_every_dashboard_query_reads_one_that_exists()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var instruments = InstrumentsOf(harness.Services.GetRequiredService<IMeterFactory>());
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "observability.md"));

        Assert.Contains("gen_ai.client.token.usage", instruments);
        Assert.All(instruments, name => Assert.Contains($"`{name}`", docs, StringComparison.Ordinal));

        var prometheusNames = instruments.Select(n => n.Replace('.', '_')).ToHashSet(StringComparer.Ordinal);
        var scrape = await PrometheusText.ScrapeAsync(harness.Admin);
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "grafana", "shardgate.json")))!;
        var queries = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]?.AsArray() ?? []).Select(t => t!["expr"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(queries);
        string[] labels = ["gen_ai_request_model", "gen_ai_token_type", "gen_ai_operation_name", "gen_ai_provider_name"];
        foreach (var metric in queries.SelectMany(q => MetricName().Matches(q).Select(m => m.Value)).Distinct().Except(labels))
        {
            if (metric.StartsWith("dotnet_", StringComparison.Ordinal))
            {
                Assert.True(scrape.Has(metric), $"the dashboard reads {metric}, which the runtime does not export");
                continue;
            }

            Assert.True(prometheusNames.Contains(Instrument(metric)), $"the dashboard reads {metric}, which no instrument exports");
        }
    }

    /// <summary>The instrument a Prometheus series comes from: without its histogram, counter and unit suffixes.</summary>
    private static string Instrument(string series)
    {
        var name = Regex.Replace(series, "_(bucket|sum|count)$", string.Empty);
        name = Regex.Replace(name, "_total$", string.Empty);
        return Regex.Replace(name, "_(seconds|bytes)$", string.Empty);
    }

    private static List<string> InstrumentsOf(IMeterFactory factory)
    {
        var names = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name.StartsWith("Shardgate.", StringComparison.Ordinal))
                {
                    lock (names)
                    {
                        names.Add(instrument.Name);
                    }
                }
            },
        };
        listener.Start();
        return names;
    }

    [GeneratedRegex(@"\b(gen_ai|shardgate|dotnet)_[a-z0-9_]+")]
    private static partial Regex MetricName();

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));
}
