using System.Text.Json.Nodes;
using Spectre.Console;

namespace Shardgate.Cli;

/// <summary>The small vocabulary the commands print with: JSON as the gateway sent it, or a table of its fields.</summary>
internal static class CliOutput
{
    public static void Show(CliContext context, JsonNode answer, Func<JsonNode, Spectre.Console.Rendering.IRenderable> render)
    {
        if (context.Json)
        {
            CliContext.WriteJson(answer);
        }
        else
        {
            context.Console.Write(render(answer));
        }
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column));
        }

        return table;
    }

    /// <summary>A field as text; empty for a missing one, so a row never throws on an older gateway's answer.</summary>
    public static string Text(JsonNode? node, string field) => node?[field] switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };

    public static string Escape(string text) => Markup.Escape(text);

    /// <summary>A line of markup: Spectre's <see cref="Markup"/> ends without a line break.</summary>
    public static Markup Line(string markup) => new(markup + Environment.NewLine);

    /// <summary>A health or HTTP status, coloured as an operator scans for it.</summary>
    public static string Coloured(string status) => status switch
    {
        "healthy" or "enabled" => $"[green]{Escape(status)}[/]",
        "cooling" or "probation" => $"[yellow]{Escape(status)}[/]",
        "quarantined" or "disabled" => $"[red]{Escape(status)}[/]",
        _ => Escape(status),
    };

    public static string StatusCode(int status) => status switch
    {
        < 300 => $"[green]{status}[/]",
        429 or 402 => $"[yellow]{status}[/]",
        _ => $"[red]{status}[/]",
    };

    public static string Ngonka(long amount) => $"{amount:N0}";
}
