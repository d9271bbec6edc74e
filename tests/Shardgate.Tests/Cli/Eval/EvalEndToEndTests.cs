using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Hosting;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Cli.Eval;

/// <summary><c>shardgate eval</c>, the real binary, over the shipped sample set against two models of the demo network.</summary>
public sealed class EvalEndToEndTests
{
    private const string AdminKey = "eval-admin-key";

    [Fact]
    public async Task Eval_over_the_sample_set_writes_three_reports_whose_totals_match_the_request_log()
    {
        var database = Path.Combine(Path.GetTempPath(), $"eval-{Guid.NewGuid():N}.db");
        var output = Directory.CreateTempSubdirectory("shardgate-eval-").FullName;
        await using var demo = await DemoEnvironment.StartAsync(0, database, AdminKey, CancellationToken.None);
        var environment = new Dictionary<string, string> { ["SHARDGATE_API_KEY"] = demo.ApiKey };

        var run = await CliProcess.RunAsync(new Uri(demo.BaseUrl), null, environment,
            "eval", "--models", "moonshotai/Kimi-K2.6,Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", "--out", output, "--concurrency", "8");

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        var lines = File.ReadAllLines(Path.Combine(output, "results.csv"));
        var sample = File.ReadAllLines(Path.Combine(FindRepo(), "eval", "sample-prompts.jsonl")).Count(l => l.Trim().Length > 0);
        Assert.InRange(sample, 20, 50);
        Assert.Equal((2 * sample) + 1, lines.Length);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.Equal("200", r[3]));

        using var admin = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var usage = (await admin.GetFromJsonAsync<JsonObject>("/admin/v1/usage"))!["data"]!.AsArray();
        Assert.Equal(usage.Sum(d => d!["cost"]!.GetValue<long>()), rows.Sum(r => long.Parse(r[10], CultureInfo.InvariantCulture)));
        Assert.Equal(usage.Sum(d => d!["input_tokens"]!.GetValue<long>()), rows.Sum(r => long.Parse(r[8], CultureInfo.InvariantCulture)));
        Assert.Equal(usage.Sum(d => d!["output_tokens"]!.GetValue<long>()), rows.Sum(r => long.Parse(r[9], CultureInfo.InvariantCulture)));
        foreach (var row in rows.Take(5))
        {
            var logged = (await admin.GetFromJsonAsync<JsonObject>($"/admin/v1/requests/{row[4]}"))!;
            Assert.Equal(long.Parse(row[10], CultureInfo.InvariantCulture), logged["cost"]!.GetValue<long>());
        }

        var markdown = await File.ReadAllTextAsync(Path.Combine(output, "report.md"));
        Assert.Contains("moonshotai/Kimi-K2.6", markdown, StringComparison.Ordinal);
        Assert.Contains("Where the models differ", markdown, StringComparison.Ordinal);
        Assert.Contains("uPlot", await File.ReadAllTextAsync(Path.Combine(output, "report.html")), StringComparison.Ordinal);
        Directory.Delete(output, recursive: true);
    }

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Shardgate.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root was not found above the test's folder");
    }
}
