using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using static Shardgate.Cli.CliOutput;

namespace Shardgate.Cli;

/// <summary><c>shardgate nodes list|show|add|enable|disable|clear</c>: the hosts, their health and load.</summary>
internal static class NodesCommand
{
    public static Command Create(GlobalOptions options)
    {
        var nodes = new Command("nodes", "The hosts (ML nodes) the gateway routes to");
        var list = new Command("list", "Every node with its health, in-flight requests and weight");
        AdminAction.Set(list, options, async (context, _, ct) => Show(context, await context.Admin.GetAsync("/hosts", ct), HostsTable));
        nodes.Add(list);

        var id = new Argument<string>("id") { Description = "The node's id" };
        var show = new Command("show", "One node: its registration and its state") { id };
        AdminAction.Set(show, options, async (context, parse, ct) =>
        {
            var nodeId = parse.GetRequiredValue(id);
            var spec = await context.Admin.GetAsync($"/nodes/{Uri.EscapeDataString(nodeId)}", ct);
            var hosts = await context.Admin.GetAsync("/hosts", ct);
            var state = hosts.AsArray().FirstOrDefault(h => Text(h, "id") == nodeId);
            Show(context, new JsonObject { ["node"] = spec.DeepClone(), ["state"] = state?.DeepClone() }, answer => NodeTree(answer));
        });
        nodes.Add(show);

        nodes.Add(NodeAddCommand.Create(options));
        nodes.Add(Toggle(options, id, "enable", "Send requests to the node again", n => $"/nodes/{n}/enable"));
        nodes.Add(Toggle(options, id, "disable", "Stop sending new requests to the node (in-flight ones finish)", n => $"/nodes/{n}/disable"));
        nodes.Add(Toggle(options, id, "clear", "Clear the node's quarantine or cool-down", n => $"/hosts/{n}/clear"));
        return options.AddTo(nodes);
    }

    public static Table HostsTable(JsonNode hosts)
    {
        var table = Table("Node", "Enabled", "Health", "In flight", "Weight", "URL", "Why");
        foreach (var host in hosts.AsArray())
        {
            var health = host?["health"];
            table.AddRow(
                Escape(Text(host, "id")),
                Coloured(host?["enabled"]?.GetValue<bool>() == false ? "disabled" : "enabled"),
                Coloured(Text(health, "status")),
                $"{Text(host, "in_flight")}/{Text(host, "max_concurrent")}",
                Escape(Text(host, "effective_weight")),
                Escape(Text(host, "base_url")),
                Escape(Text(health, "reason")));
        }

        return table;
    }

    private static Command Toggle(GlobalOptions options, Argument<string> id, string name, string description, Func<string, string> path)
    {
        var command = new Command(name, description) { id };
        AdminAction.Set(command, options, async (context, parse, ct) =>
        {
            var answer = await context.Admin.PostAsync(path(Uri.EscapeDataString(parse.GetRequiredValue(id))), null, ct);
            Show(context, answer, a => Line($"[green]{name}[/] {Escape(parse.GetRequiredValue(id))}: {Escape(Text(a, "message") is { Length: > 0 } m ? m : Text(a, "status"))}"));
        });
        return command;
    }

    private static Tree NodeTree(JsonNode answer)
    {
        var node = answer["node"];
        var state = answer["state"];
        var tree = new Tree($"[bold]{Escape(Text(node, "id"))}[/] {Escape(Text(state, "base_url"))}");
        tree.AddNode($"health: {Coloured(Text(state?["health"], "status"))} {Escape(Text(state?["health"], "reason"))}");
        tree.AddNode($"in flight: {Text(state, "in_flight")}/{Text(state, "max_concurrent")}, weight {Escape(Text(state, "effective_weight"))}");
        var models = tree.AddNode("models");
        foreach (var (model, spec) in node?["models"]?.AsObject() ?? [])
        {
            models.AddNode($"{Escape(model)} {Escape(Text(spec, "context_window"))}");
        }

        return tree;
    }
}
