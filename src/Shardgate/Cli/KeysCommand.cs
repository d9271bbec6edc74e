using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using static Shardgate.Cli.CliOutput;

namespace Shardgate.Cli;

/// <summary><c>shardgate keys create|list|revoke|limits</c>: an account's API keys and their limits.</summary>
internal static class KeysCommand
{
    public static Command Create(GlobalOptions options)
    {
        var keys = new Command("keys", "API keys: created once, stored only as hashes");
        var account = new Option<long>("--account") { Description = "The account the key belongs to", Required = true };
        var limits = new KeyLimitOptions();

        var create = new Command("create", "Create a key; its secret is printed once") { account };
        limits.AddTo(create);
        AdminAction.Set(create, options, async (context, parse, ct) =>
        {
            var created = await context.Admin.PostAsync($"/accounts/{parse.GetRequiredValue(account)}/keys", new JsonObject { ["limits"] = limits.Read(parse) }, ct);
            Show(context, created, k => Line($"[green]created[/] key {Text(k, "id")} for account {Text(k, "account_id")}. Its secret is shown this once:{Environment.NewLine}{Escape(Text(k, "key"))}"));
        });
        keys.Add(create);

        var list = new Command("list", "An account's keys, live and revoked") { account };
        AdminAction.Set(list, options, async (context, parse, ct) => Show(context, await context.Admin.GetAsync($"/accounts/{parse.GetRequiredValue(account)}/keys", ct), KeysTable));
        keys.Add(list);

        var id = new Argument<long>("key-id") { Description = "The key's id" };
        var revoke = new Command("revoke", "Revoke a key: it is refused from now on, on every replica") { account, id };
        AdminAction.Set(revoke, options, async (context, parse, ct) =>
            Show(context, await context.Admin.PostAsync($"/accounts/{parse.GetRequiredValue(account)}/keys/{parse.GetRequiredValue(id)}/revoke", null, ct), _ => Line($"[green]revoked[/] key {parse.GetRequiredValue(id)}")));
        keys.Add(revoke);

        var setLimits = new Command("limits", "Replace a key's limits (a limit left out is unlimited)") { account, id };
        limits.AddTo(setLimits);
        AdminAction.Set(setLimits, options, async (context, parse, ct) =>
            Show(context, await context.Admin.PutAsync($"/accounts/{parse.GetRequiredValue(account)}/keys/{parse.GetRequiredValue(id)}/limits", limits.Read(parse), ct), KeysTable));
        keys.Add(setLimits);
        return options.AddTo(keys);
    }

    public static Table KeysTable(JsonNode keys)
    {
        var table = Table("Key", "Account", "Prefix", "Created", "Revoked", "RPM", "TPM", "Concurrent", "Models");
        foreach (var k in keys.AsArray())
        {
            var limits = k?["limits"];
            table.AddRow(
                Text(k, "id"), Text(k, "account_id"), Escape(Text(k, "prefix")), Escape(Text(k, "created_at")),
                Text(k, "revoked_at") is { Length: > 0 } revoked ? $"[red]{Escape(revoked)}[/]" : "",
                Unlimited(limits, "requests_per_minute"), Unlimited(limits, "tokens_per_minute"), Unlimited(limits, "max_concurrent"),
                Escape(limits?["models"] is JsonArray models ? string.Join(", ", models.Select(m => m?.GetValue<string>())) : "any"));
        }

        return table;
    }

    private static string Unlimited(JsonNode? limits, string field) => Text(limits, field) is { Length: > 0 } value ? value : "-";
}
