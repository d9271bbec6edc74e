using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using static Shardgate.Cli.CliOutput;

namespace Shardgate.Cli;

/// <summary><c>shardgate accounts list|create|show|credit</c>.</summary>
internal static class AccountsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var accounts = new Command("accounts", "Accounts and their balances, in ngonka");

        var list = new Command("list", "Every account with its balance");
        AdminAction.Set(list, options, async (context, _, ct) => Show(context, await ListAllAsync(context, ct), AccountsTable));
        accounts.Add(list);

        var name = new Argument<string>("name") { Description = "The account's name" };
        var create = new Command("create", "Create an account") { name };
        AdminAction.Set(create, options, async (context, parse, ct) =>
            Show(context, await context.Admin.PostAsync("/accounts", new JsonObject { ["name"] = parse.GetRequiredValue(name) }, ct), a => AccountsTable(new JsonArray(a.DeepClone()))));
        accounts.Add(create);

        var id = new Argument<long>("id") { Description = "The account's id" };
        var show = new Command("show", "One account: its balance and its keys") { id };
        AdminAction.Set(show, options, async (context, parse, ct) =>
        {
            var accountId = parse.GetRequiredValue(id);
            var account = await context.Admin.GetAsync($"/accounts/{accountId}", ct);
            var keys = await context.Admin.GetAsync($"/accounts/{accountId}/keys", ct);
            Show(context, new JsonObject { ["account"] = account.DeepClone(), ["keys"] = keys.DeepClone() }, a => new Rows(AccountsTable(new JsonArray(a["account"]!.DeepClone())), KeysCommand.KeysTable(a["keys"]!)));
        });
        accounts.Add(show);

        var ids = new Argument<long[]>("ids") { Description = "The accounts to credit", Arity = ArgumentArity.OneOrMore };
        var amount = new Option<string>("--amount") { Description = "ngonka, or GNK with the suffix gnk (10gnk)", Required = true };
        var credit = new Command("credit", "Add to accounts' balances (a progress bar for several)") { ids, amount };
        AdminAction.Set(credit, options, (context, parse, ct) => CreditAsync(context, parse.GetRequiredValue(ids), Ngonka.Parse(parse.GetRequiredValue(amount), "--amount"), ct));
        accounts.Add(credit);
        return options.AddTo(accounts);
    }

    public static Table AccountsTable(JsonNode accounts)
    {
        var table = Table("Id", "Name", "Balance", "Reserved", "Available", "Created");
        foreach (var a in accounts.AsArray())
        {
            table.AddRow(Text(a, "id"), Escape(Text(a, "name")), Amount(a, "balance"), Amount(a, "reserved"), Amount(a, "available"), Escape(Text(a, "created_at")));
        }

        return table;
    }

    private static string Amount(JsonNode? node, string field) => node?[field] is JsonValue v && v.TryGetValue<long>(out var n) ? Ngonka(n) : "";

    private static async Task<JsonArray> ListAllAsync(CliContext context, CancellationToken cancellationToken)
    {
        var all = new JsonArray();
        var after = 0L;
        while (true)
        {
            var page = (await context.Admin.GetAsync($"/accounts?after={after}&limit=500", cancellationToken)).AsArray();
            foreach (var account in page)
            {
                all.Add(account!.DeepClone());
            }

            if (page.Count < 500)
            {
                return all;
            }

            after = page[^1]!["id"]!.GetValue<long>();
        }
    }

    private static async Task CreditAsync(CliContext context, long[] ids, long amount, CancellationToken cancellationToken)
    {
        var results = new JsonArray();
        if (ids.Length == 1 || context.Json)
        {
            foreach (var id in ids)
            {
                results.Add(await context.Admin.PostAsync($"/accounts/{id}/credit", new JsonObject { ["amount"] = amount }, cancellationToken));
            }
        }
        else
        {
            await context.Console.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"crediting {ids.Length} accounts {Ngonka(amount)} ngonka each", maxValue: ids.Length);
                foreach (var id in ids)
                {
                    results.Add(await context.Admin.PostAsync($"/accounts/{id}/credit", new JsonObject { ["amount"] = amount }, cancellationToken));
                    task.Increment(1);
                }
            });
        }

        Show(context, results, AccountsTable);
    }
}
