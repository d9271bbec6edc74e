using System.CommandLine;
using System.Net.Http.Headers;
using Shardgate.Hosting;
using Spectre.Console;
using static Shardgate.Cli.CliOutput;

namespace Shardgate.Cli.Eval;

/// <summary>
/// <c>shardgate eval --models A,B</c>: a prompt set against two or more models or aliases through a gateway, with
/// an API key (it is a client, not an operator), reported as Markdown, CSV and HTML.
/// </summary>
internal static class EvalCommand
{
    private const string SampleResource = "Shardgate.Cli.Eval.sample-prompts.jsonl";

    public static Command Create()
    {
        var models = new Option<string[]>("--models") { Description = "Two or more models or aliases (comma-separated or repeated)", Required = true, AllowMultipleArgumentsPerToken = true };
        var prompts = new Option<FileInfo?>("--prompts") { Description = "A JSONL prompt set (default: the sample set shipped with Shardgate)" };
        var url = new Option<string?>("--url") { Description = GatewayUrl.Description };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once", DefaultValueFactory = _ => 4 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where the reports go", DefaultValueFactory = _ => new DirectoryInfo("eval-report") };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "max_tokens for every request (default: the prompt's own, else the gateway's)" };
        var eval = new Command("eval", "Run a prompt set against two or more models through a gateway and compare them (needs SHARDGATE_API_KEY)")
        {
            models, prompts, url, concurrency, output, maxTokens,
        };
        concurrency.Between(1, 256);
        eval.SetAction((parse, cancellationToken) => AdminAction.ExitCodeAsync(async () =>
        {
            var names = parse.GetRequiredValue(models).SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList();
            if (names.Count < 2)
            {
                throw new CliUsageException("--models needs two or more models or aliases to compare");
            }

            var set = parse.GetValue(prompts) is { } file ? EvalPrompt.ReadAll(file.FullName) : Sample();
            using var gateway = Client(parse.GetValue(url));
            var runner = new EvalRunner(gateway, parse.GetValue(concurrency), parse.GetValue(maxTokens));
            IReadOnlyList<EvalResult> results = [];
            await AnsiConsole.Console.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"{set.Count} prompts × {names.Count} models", maxValue: set.Count * names.Count);
                results = await runner.RunAsync(names, set, () => task.Increment(1), cancellationToken);
            });
            var summaries = EvalSummary.Of(names, results);
            var (markdown, csv, html) = EvalReport.Write(parse.GetRequiredValue(output).FullName, summaries, results);
            var table = Table("Model", "Success", "Checks", "First token p50/p95", "Tokens in/out", "Cost (ngonka)");
            foreach (var s in summaries)
            {
                table.AddRow(Escape(s.Model), $"{s.Succeeded}/{s.Prompts}", $"{s.ChecksPassed}/{s.Checks}", $"{s.FirstTokenP50Ms:0}/{s.FirstTokenP95Ms:0} ms", $"{s.InputTokens}/{s.OutputTokens}", Ngonka(s.Cost));
            }

            AnsiConsole.Console.Write(table);
            AnsiConsole.Console.WriteLine($"Reports: {markdown}, {csv}, {html}");
        }));
        return eval;
    }

    private static HttpClient Client(string? url)
    {
        var baseUrl = GatewayUrl.Resolve(url);
        var key = Environment.GetEnvironmentVariable("SHARDGATE_API_KEY") is { Length: > 0 } k
            ? k
            : throw new CliUsageException("set SHARDGATE_API_KEY to an API key of the gateway (the eval calls it as a client does)");
        var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static IReadOnlyList<EvalPrompt> Sample()
    {
        using var reader = new StreamReader(typeof(EvalCommand).Assembly.GetManifestResourceStream(SampleResource)!);
        return EvalPrompt.Parse(reader.ReadToEnd().Split('\n'), "the sample prompt set");
    }
}
