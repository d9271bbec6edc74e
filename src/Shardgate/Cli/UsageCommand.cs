using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using static Shardgate.Cli.CliOutput;

namespace Shardgate.Cli;

/// <summary>
/// <c>shardgate usage --account … --by model --since 24h</c>: requests, tokens and spend from the request log, the
/// same rows <c>/admin/v1/usage</c> and <c>/v1/usage</c> total, with a totals row.
/// </summary>
internal static class UsageCommand
{
    public static Command Create(GlobalOptions options)
    {
        var account = new Option<long?>("--account") { Description = "One account's usage" };
        var key = new Option<long?>("--key") { Description = "One key's usage" };
        var by = new Option<string>("--by") { Description = "Group rows by model, by day, or by account and model (spend, reconciled with the ledger)", DefaultValueFactory = _ => "model" };
        by.AcceptOnlyFromAmong("model", "day", "account");
        var since = new Option<string?>("--since") { Description = "Only requests started this long ago or later (30m, 24h, 7d); days are UTC" };
        var usage = new Command("usage", "Requests, tokens and spend, grouped by model or day") { account, key, by, since };
        AdminAction.Set(usage, options, async (context, parse, ct) =>
        {
            var query = new List<string>();
            if (parse.GetValue(account) is { } accountId)
            {
                query.Add($"account_id={accountId}");
            }

            if (parse.GetValue(key) is { } keyId)
            {
                query.Add($"key_id={keyId}");
            }

            if (parse.GetValue(since) is { } back)
            {
                query.Add("from=" + Uri.EscapeDataString((DateTimeOffset.UtcNow - Since.Parse(back)).ToString("O", CultureInfo.InvariantCulture)));
            }

            if (parse.GetValue(by) == "account")
            {
                var since = query.FirstOrDefault(q => q.StartsWith("from=", StringComparison.Ordinal));
                var spend = await context.Admin.GetAsync("/spend?by=account,model" + (since is null ? "" : "&since=" + since[5..]), ct);
                Show(context, spend, SpendTable);
                return;
            }

            var answer = await context.Admin.GetAsync("/usage" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct);
            Show(context, answer, a => UsageTable(a["data"]?.AsArray() ?? [], parse.GetValue(by) == "day" ? "date" : "model"));
        });
        return options.AddTo(usage);
    }

    private static Table UsageTable(JsonArray days, string group)
    {
        var rows = days
            .GroupBy(d => Text(d, group), StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Requests: Sum(g, "requests"), Rejected: Sum(g, "rejected"), Input: Sum(g, "input_tokens"), Output: Sum(g, "output_tokens"), Cost: Sum(g, "cost")))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        var table = Table(group == "date" ? "Day (UTC)" : "Model", "Requests", "Rejected", "Input tokens", "Output tokens", "Cost (ngonka)");
        foreach (var r in rows)
        {
            table.AddRow(Escape(r.Name), Ngonka(r.Requests), Ngonka(r.Rejected), Ngonka(r.Input), Ngonka(r.Output), Ngonka(r.Cost));
        }

        table.AddRow("[bold]Total[/]", Bold(rows.Sum(r => r.Requests)), Bold(rows.Sum(r => r.Rejected)), Bold(rows.Sum(r => r.Input)), Bold(rows.Sum(r => r.Output)), Bold(rows.Sum(r => r.Cost)));
        return table;
    }

    private static Table SpendTable(JsonNode spend)
    {
        var table = Table("Account", "Model", "Requests", "Input tokens", "Output tokens", "Cost (ngonka)");
        foreach (var row in spend["data"]?.AsArray() ?? [])
        {
            table.AddRow(Text(row, "account_id"), Escape(Text(row, "model")), Ngonka(row!["requests"]!.GetValue<long>()), Ngonka(row["input_tokens"]!.GetValue<long>()), Ngonka(row["output_tokens"]!.GetValue<long>()), Ngonka(row["cost"]!.GetValue<long>()));
        }

        var t = spend["totals"];
        table.AddRow("[bold]Total[/]", "", Bold(t?["requests"]?.GetValue<long>() ?? 0), Bold(t?["input_tokens"]?.GetValue<long>() ?? 0), Bold(t?["output_tokens"]?.GetValue<long>() ?? 0), Bold(t?["cost"]?.GetValue<long>() ?? 0));
        return table;
    }

    private static string Bold(long value) => $"[bold]{Ngonka(value)}[/]";

    private static long Sum(IEnumerable<JsonNode?> rows, string field) => rows.Sum(r => r?[field]?.GetValue<long>() ?? 0);
}
