using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using static Shardgate.Cli.CliOutput;

namespace Shardgate.Cli;

/// <summary><c>shardgate status</c>: one screen of models, hosts and health, as <c>kubectl get</c> shows a cluster.</summary>
internal static class StatusCommand
{
    public static Command Create(GlobalOptions options)
    {
        var status = new Command("status", "Models, hosts and health on one screen");
        AdminAction.Set(status, options, async (context, _, ct) =>
        {
            var models = context.Admin.GetAsync("/models", ct);
            var hosts = context.Admin.GetAsync("/hosts", ct);
            var stats = context.Admin.GetAsync("/stats?window=1h", ct);
            var network = context.Admin.GetAsync("/network", ct);
            var answer = new JsonObject
            {
                ["network"] = (await network).DeepClone(),
                ["models"] = (await models).DeepClone(),
                ["hosts"] = (await hosts).DeepClone(),
                ["last_hour"] = (await stats)["totals"]?.DeepClone(),
            };
            Show(context, answer, Render(await stats));
        });
        return options.AddTo(status);
    }

    private static Func<JsonNode, Spectre.Console.Rendering.IRenderable> Render(JsonNode stats) => answer =>
    {
        var perModel = (stats["models"]?.AsArray() ?? []).ToDictionary(m => Text(m, "id"), m => m!["figures"], StringComparer.Ordinal);
        var models = Table("Model", "Family", "Hosts", "Context", "Price in/out", "Requests (1h)", "Errors", "First token p50/p95");
        foreach (var m in answer["models"]!.AsArray())
        {
            var figures = perModel.GetValueOrDefault(Text(m, "id"));
            var hosts = m?["hosts"]?.AsArray().Count ?? 0;
            var healthy = m?["healthy_hosts"]?.GetValue<int>() ?? 0;
            models.AddRow(
                Escape(Text(m, "id")),
                Escape(Text(m, "family")),
                healthy == hosts ? $"[green]{healthy}/{hosts}[/]" : $"[yellow]{healthy}/{hosts}[/]",
                Text(m, "context_window"),
                $"{Text(m, "input_per_token")}/{Text(m, "output_per_token")}",
                Text(figures, "requests") is { Length: > 0 } r ? r : "0",
                Text(figures, "errors") is { Length: > 0 } e ? e : "0",
                $"{Ms(figures, "first_token_p50_ms")}/{Ms(figures, "first_token_p95_ms")}");
        }

        var network = answer["network"];
        var phase = $"Network phase: [bold]{Escape(Text(network, "phase"))}[/]" + (network?["poc_active"]?.GetValue<bool>() == true ? " [yellow](PoC: nodes mine instead of serving)[/]" : "");
        return new Rows(Line(phase), models, NodesCommand.HostsTable(answer["hosts"]!));
    };

    private static string Ms(JsonNode? figures, string field) =>
        figures?[field] is JsonValue v && v.TryGetValue<double>(out var ms) ? ms.ToString("0", CultureInfo.InvariantCulture) + " ms" : "-";
}
