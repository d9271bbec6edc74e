using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Api.Dashboard;

namespace Shardgate.Cli.Eval;

/// <summary>Writes an eval's three reports: Markdown for reading, CSV (one row per model and prompt) for tools, HTML with a chart.</summary>
internal static class EvalReport
{
    public static (string Markdown, string Csv, string Html) Write(string directory, IReadOnlyList<EvalSummary> summaries, IReadOnlyList<EvalResult> results)
    {
        Directory.CreateDirectory(directory);
        var markdown = Path.Combine(directory, "report.md");
        var csv = Path.Combine(directory, "results.csv");
        var html = Path.Combine(directory, "report.html");
        File.WriteAllText(markdown, Markdown(summaries, results));
        File.WriteAllText(csv, Csv(results));
        File.WriteAllText(html, Html(summaries, results));
        return (markdown, csv, html);
    }

    private static string Markdown(IReadOnlyList<EvalSummary> summaries, IReadOnlyList<EvalResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("# Shardgate eval").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{results.Select(r => r.PromptId).Distinct().Count()} prompts × {summaries.Count} models; latencies measured at the client, cost in ngonka at the served model's price.").AppendLine();
        text.AppendLine("| Model | Success | Checks passed | Prompts passed | First token p50 / p95 | Total p50 / p95 | Input tokens | Output tokens | Cost (ngonka) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var s in summaries)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {s.Model} | {s.Succeeded}/{s.Prompts} ({s.SuccessRate:P0}) | {s.ChecksPassed}/{s.Checks} | {s.PromptsPassed}/{s.Prompts} | {Ms(s.FirstTokenP50Ms)} / {Ms(s.FirstTokenP95Ms)} | {Ms(s.TotalP50Ms)} / {Ms(s.TotalP95Ms)} | {s.InputTokens} | {s.OutputTokens} | {s.Cost} |");
        }

        var totals = results.Sum(r => r.Cost);
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Total: {results.Sum(r => r.InputTokens)} input and {results.Sum(r => r.OutputTokens)} output tokens, {totals} ngonka.").AppendLine();
        var differences = EvalSummary.Differences(results);
        text.AppendLine(CultureInfo.InvariantCulture, $"## Where the models differ ({differences.Count} prompts)").AppendLine();
        foreach (var prompt in differences)
        {
            var outcomes = string.Join("; ", prompt.Select(r => $"{r.Model} {(r.Passed ? "passed" : "failed")} ({r.ChecksPassed}/{r.Checks}{(r.Error is null ? "" : ", " + r.Error)})"));
            text.AppendLine(CultureInfo.InvariantCulture, $"- **{prompt.Key}** ({prompt.First().Kind}): {outcomes}");
        }

        return text.ToString();
    }

    private static string Csv(IReadOnlyList<EvalResult> results)
    {
        var text = new StringBuilder("model,prompt_id,kind,status,request_id,served_by,first_token_ms,total_ms,input_tokens,output_tokens,cost_ngonka,checks_passed,checks,error\n");
        foreach (var r in results)
        {
            text.AppendJoin(',', Field(r.Model), Field(r.PromptId), Field(r.Kind), r.Status, Field(r.RequestId), Field(r.ServedBy),
                r.FirstTokenMs?.ToString("0.0", CultureInfo.InvariantCulture) ?? "", r.TotalMs.ToString("0.0", CultureInfo.InvariantCulture),
                r.InputTokens, r.OutputTokens, r.Cost, r.ChecksPassed, r.Checks, Field(r.Error)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>One page, no external requests: the vendored uPlot inlined, first-token p50 and p95 as bars per model.</summary>
    private static string Html(IReadOnlyList<EvalSummary> summaries, IReadOnlyList<EvalResult> results)
    {
        var names = new JsonArray([.. summaries.Select(s => JsonValue.Create(s.Model))]);
        var data = new JsonArray(
            new JsonArray([.. summaries.Select((_, i) => JsonValue.Create(i))]),
            new JsonArray([.. summaries.Select(s => JsonValue.Create(s.FirstTokenP50Ms ?? 0))]),
            new JsonArray([.. summaries.Select(s => JsonValue.Create(s.FirstTokenP95Ms ?? 0))]));
        var rows = string.Concat(summaries.Select(s =>
            $"<tr><td>{E(s.Model)}</td><td>{s.Succeeded}/{s.Prompts}</td><td>{s.ChecksPassed}/{s.Checks}</td><td>{Ms(s.FirstTokenP50Ms)} / {Ms(s.FirstTokenP95Ms)}</td><td>{Ms(s.TotalP50Ms)} / {Ms(s.TotalP95Ms)}</td><td>{s.InputTokens}</td><td>{s.OutputTokens}</td><td>{s.Cost}</td></tr>"));
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Shardgate eval</title>
            <style>{{DashboardEndpoints.ReadAsset("vendor/uPlot.min.css")}}
            body{font:14px system-ui,sans-serif;margin:24px;color:#1d2433}table{border-collapse:collapse}td,th{border:1px solid #e4e7ec;padding:4px 8px;text-align:left}</style>
            </head><body>
            <h1>Shardgate eval</h1>
            <p>{{results.Select(r => r.PromptId).Distinct().Count()}} prompts × {{summaries.Count}} models. Total cost {{results.Sum(r => r.Cost)}} ngonka.</p>
            <table><tr><th>Model</th><th>Success</th><th>Checks passed</th><th>First token p50 / p95</th><th>Total p50 / p95</th><th>Input tokens</th><th>Output tokens</th><th>Cost (ngonka)</th></tr>{{rows}}</table>
            <div id="chart"></div>
            <script>{{DashboardEndpoints.ReadAsset("vendor/uPlot.iife.min.js")}}</script>
            <script>
            const names = {{names.ToJsonString()}};
            const bars = uPlot.paths.bars({ size: [0.35, 60], align: 0 });
            new uPlot({
              title: "First token (ms): p50 and p95 per model", width: 800, height: 320,
              scales: { x: { time: false, range: [-0.5, names.length - 0.5] } },
              axes: [{ values: (u, splits) => splits.map(i => names[i] ?? "") }, {}],
              series: [{}, { label: "p50", fill: "#2d5be3", stroke: "#2d5be3", paths: bars, points: { show: false } },
                           { label: "p95", fill: "#b54708", stroke: "#b54708", paths: uPlot.paths.bars({ size: [0.35, 60], align: 1 }), points: { show: false } }],
            }, {{data.ToJsonString()}}, document.getElementById("chart"));
            </script>
            </body></html>
            """;
    }

    private static string Ms(double? ms) => ms is { } v ? v.ToString("0", CultureInfo.InvariantCulture) + " ms" : "–";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Field(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
