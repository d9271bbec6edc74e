using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using static Shardgate.Cli.CliOutput;

namespace Shardgate.Cli;

/// <summary>
/// <c>shardgate nodes add</c>: registers (or replaces) a node from a JSON or YAML file, or from flags, and with
/// <c>--wait</c> shows a spinner until routing has the node enabled and healthy.
/// </summary>
internal static class NodeAddCommand
{
    public static Command Create(GlobalOptions options)
    {
        var file = new Option<FileInfo?>("--file", "-f") { Description = "A node in JSON or YAML, shaped as POST /admin/v1/nodes takes it" };
        var id = new Option<string?>("--id") { Description = "The node's id" };
        var host = new Option<string?>("--host") { Description = "The host's address" };
        var port = new Option<int?>("--port") { Description = "Its inference port" };
        var models = new Option<string[]>("--model") { Description = "A model it serves (repeat for more)", AllowMultipleArgumentsPerToken = true };
        var contextWindow = new Option<int?>("--context-window") { Description = "The models' context window in tokens (vLLM's --max-model-len)" };
        var maxConcurrent = new Option<int?>("--max-concurrent") { Description = "Requests it may hold at once" };
        var weight = new Option<double?>("--weight") { Description = "Its routing weight (default 1)" };
        var wait = new Option<bool>("--wait") { Description = "Wait until the gateway routes to the node, healthy" };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long --wait waits", DefaultValueFactory = _ => TimeSpan.FromSeconds(60) };
        var add = new Command("add", "Register a node, or replace the one with its id") { file, id, host, port, models, contextWindow, maxConcurrent, weight, wait, timeout };
        AdminAction.Set(add, options, async (context, parse, ct) =>
        {
            var node = parse.GetValue(file) is { } path ? YamlOrJson.Read(path).AsObject() : new JsonObject();
            Set(node, "id", parse.GetValue(id));
            Set(node, "host", parse.GetValue(host));
            Set(node, "inference_port", parse.GetValue(port));
            Set(node, "max_concurrent", parse.GetValue(maxConcurrent));
            Set(node, "weight", parse.GetValue(weight));
            if (parse.GetValue(models) is { Length: > 0 } served)
            {
                var window = parse.GetValue(contextWindow);
                node["models"] = new JsonObject(served.Select(m => KeyValuePair.Create(m, (JsonNode?)(window is null ? new JsonObject() : new JsonObject { ["context_window"] = window }))));
            }

            if (Text(node, "id").Length == 0)
            {
                throw new CliUsageException("a node needs an id: give --id, or an 'id' in --file");
            }

            var stored = await context.Admin.PostAsync("/nodes", node, ct);
            if (parse.GetValue(wait))
            {
                await WaitForHealthyAsync(context, Text(stored, "id"), parse.GetValue(timeout), ct);
            }

            Show(context, stored, s => Line($"[green]registered[/] {Escape(Text(s, "id"))} serving {Escape(string.Join(", ", s["models"]?.AsObject().Select(m => m.Key) ?? []))}"));
        });
        return add;
    }

    private static void Set(JsonObject node, string field, object? value)
    {
        if (value is not null)
        {
            node[field] = JsonValue.Create(value);
        }
    }

    private static async Task WaitForHealthyAsync(CliContext context, string nodeId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var status = "not yet routed";
        try
        {
            await context.Console.Status().StartAsync($"waiting for {Escape(nodeId)} to be healthy", async live =>
            {
                while (true)
                {
                    var hosts = await context.Admin.GetAsync("/hosts", deadline.Token);
                    var state = hosts.AsArray().FirstOrDefault(h => Text(h, "id") == nodeId);
                    status = state is null ? "not yet routed" : state["enabled"]?.GetValue<bool>() == false ? "disabled" : Text(state["health"], "status");
                    if (status == "healthy")
                    {
                        return;
                    }

                    live.Status($"waiting for {Escape(nodeId)} to be healthy: {Escape(status)}");
                    await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
                }
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GatewayCallException($"{nodeId} was not healthy after {timeout.TotalSeconds:0} s (last seen: {status})");
        }
    }
}
