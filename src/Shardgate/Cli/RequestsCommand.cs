using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using static Shardgate.Cli.CliOutput;

namespace Shardgate.Cli;

/// <summary><c>shardgate requests list|show|tail</c>: the request log, filtered, one row, or live.</summary>
internal static class RequestsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var requests = new Command("requests", "The request log: every request's status, host, usage and cost");
        var filters = new RequestFilterOptions();

        var limit = new Option<int>("--limit") { Description = "Rows to show (1 to 1000)", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "Rows matching the filters, newest first") { limit };
        filters.AddTo(list);
        AdminAction.Set(list, options, async (context, parse, ct) =>
        {
            var page = await context.Admin.GetAsync($"/requests?{filters.Query(parse)}&limit={parse.GetValue(limit)}", ct);
            Show(context, page, p => RowsTable(p["data"]?.AsArray() ?? []));
        });
        requests.Add(list);

        var id = new Argument<string>("request-id") { Description = "The request's id (its X-Request-Id)" };
        var show = new Command("show", "One request's row: status, host, attempts, usage, cost and timings") { id };
        AdminAction.Set(show, options, async (context, parse, ct) =>
            Show(context, await context.Admin.GetAsync($"/requests/{Uri.EscapeDataString(parse.GetRequiredValue(id))}", ct), Detail));
        requests.Add(show);

        var stopAfter = new Option<int?>("--stop-after") { Description = "Stop after this many rows (default: until Ctrl-C)" };
        var tail = new Command("tail", "New rows as they are written, coloured by status, until Ctrl-C") { stopAfter };
        filters.AddTo(tail);
        AdminAction.Set(tail, options, (context, parse, ct) => TailAsync(context, filters.Query(parse), parse.GetValue(stopAfter), ct));
        requests.Add(tail);
        return options.AddTo(requests);
    }

    private static Table RowsTable(JsonArray rows)
    {
        var table = Table("Started", "Request", "Status", "Outcome", "Model", "Node", "Tokens in/out", "Cost", "First token", "Duration");
        foreach (var row in rows)
        {
            table.AddRow(Row(row));
        }

        return table;
    }

    private static string[] Row(JsonNode? row) =>
    [
        Escape(Text(row, "started_at")),
        Escape(Text(row, "request_id")),
        StatusCode(row?["status"]?.GetValue<int>() ?? 0),
        Escape(Text(row, "outcome")),
        Escape(Text(row, "model")),
        Escape(Text(row, "node_id")),
        $"{Text(row, "prompt_tokens")}/{Text(row, "completion_tokens")}",
        Text(row, "cost"),
        Millis(row, "time_to_first_token_ms"),
        Millis(row, "duration_ms"),
    ];

    private static string Millis(JsonNode? row, string field) =>
        row?[field] is JsonValue v && v.TryGetValue<double>(out var ms) ? ms.ToString("0", CultureInfo.InvariantCulture) + " ms" : "";

    private static Grid Detail(JsonNode row)
    {
        var grid = new Grid().AddColumn().AddColumn();
        foreach (var (field, value) in row.AsObject())
        {
            grid.AddRow($"[grey]{Escape(field)}[/]", field == "status" ? StatusCode(value!.GetValue<int>()) : Escape(value is JsonValue ? Text(row, field) : value?.ToJsonString() ?? ""));
        }

        return grid;
    }

    /// <summary>
    /// Polls the newest rows once a second and prints, oldest first, those the previous poll did not have. Rows are
    /// committed in batches and by several replicas, so "not seen" rather than "newer id" decides what is new.
    /// </summary>
    private static async Task TailAsync(CliContext context, string query, int? stopAfter, CancellationToken cancellationToken)
    {
        HashSet<string>? seen = null;
        var printed = 0;
        try
        {
            while (true)
            {
                var page = await context.Admin.GetAsync($"/requests?{query}&limit=200", cancellationToken);
                var rows = (page["data"]?.AsArray() ?? []).Reverse().ToList();
                // The rows already there when tail starts are context, as tail(1) shows a file's last lines: the last 10.
                var fresh = seen is null ? rows.TakeLast(10) : rows.Where(r => !seen.Contains(Text(r, "request_id")));
                foreach (var row in fresh)
                {
                    Print(context, row);
                    if (++printed >= stopAfter)
                    {
                        return;
                    }
                }

                seen = rows.Select(r => Text(r, "request_id")).ToHashSet(StringComparer.Ordinal);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static void Print(CliContext context, JsonNode? row)
    {
        if (context.Json)
        {
            System.Console.Out.WriteLine(row?.ToJsonString());
            return;
        }

        var cells = Row(row);
        context.Console.MarkupLine(string.Join("  ", cells.Where(c => c.Length > 0)));
    }
}
