using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using static Shardgate.Cli.CliOutput;

namespace Shardgate.Cli;

/// <summary><c>shardgate prices list|set</c>: ngonka per input and output token, per model.</summary>
internal static class PricesCommand
{
    public static Command Create(GlobalOptions options)
    {
        var prices = new Command("prices", "What each model's tokens cost, in ngonka per token");
        var list = new Command("list", "Every model's price");
        AdminAction.Set(list, options, async (context, _, ct) => Show(context, await context.Admin.GetAsync("/prices", ct), PricesTable));
        prices.Add(list);

        var model = new Argument<string>("model") { Description = "The canonical model id" };
        var input = new Option<long>("--input") { Description = "ngonka per input token", Required = true };
        var output = new Option<long>("--output") { Description = "ngonka per output token", Required = true };
        var set = new Command("set", "Set a model's price; it applies to requests admitted from now on") { model, input, output };
        AdminAction.Set(set, options, async (context, parse, ct) =>
        {
            var body = new JsonObject { ["model"] = parse.GetRequiredValue(model), ["input_per_token"] = parse.GetValue(input), ["output_per_token"] = parse.GetValue(output) };
            Show(context, await context.Admin.PostAsync("/prices", body, ct), p => PricesTable(new JsonArray(p.DeepClone())));
        });
        prices.Add(set);
        return options.AddTo(prices);
    }

    private static Table PricesTable(JsonNode prices)
    {
        var table = Table("Model", "Input (ngonka/token)", "Output (ngonka/token)");
        foreach (var p in prices.AsArray())
        {
            table.AddRow(Escape(Text(p, "model")), Text(p, "input_per_token"), Text(p, "output_per_token"));
        }

        return table;
    }
}
