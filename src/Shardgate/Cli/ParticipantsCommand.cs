using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using static Shardgate.Cli.CliOutput;

namespace Shardgate.Cli;

/// <summary>
/// <c>shardgate participants list|show|key</c>: the host operators' view. <c>show</c> works with a host operator's
/// key (<c>--admin-key sgo-…</c>) for its own participant.
/// </summary>
internal static class ParticipantsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var participants = new Command("participants", "Participants serving through this broker: weight, collateral, and what they served here by epoch");
        var list = new Command("list", "Every participant, one line each");
        AdminAction.Set(list, options, async (context, _, ct) => Show(context, await context.Admin.GetAsync("/participants", ct), Summary));
        participants.Add(list);

        var address = new Argument<string>("address") { Description = "The participant's address (gonka1…)" };
        var show = new Command("show", "One participant's figures by epoch") { address };
        AdminAction.Set(show, options, async (context, parse, ct) =>
            Show(context, await context.Admin.GetAsync("/participants/" + Uri.EscapeDataString(parse.GetRequiredValue(address)), ct), Epochs));
        participants.Add(show);

        var keyAddress = new Argument<string>("address") { Description = "The participant the key may read" };
        var key = new Command("key", "Create a host operator's key that reads only this participant's figures") { keyAddress };
        AdminAction.Set(key, options, async (context, parse, ct) =>
            Show(context, await context.Admin.PostAsync("/participants/" + Uri.EscapeDataString(parse.GetRequiredValue(keyAddress)) + "/keys", null, ct), k =>
            {
                var table = Table("Participant", "Key (shown once)");
                table.AddRow(Escape(Text(k, "participant")), Escape(Text(k, "key")));
                return table;
            }));
        participants.Add(key);
        return options.AddTo(participants);
    }

    private static Table Summary(JsonNode participants)
    {
        var table = Table("Participant", "State", "Epoch", "PoC weight", "Active weight", "Collateral", "Requests", "Earned (ngonka)", "Missed", "Failed");
        foreach (var p in participants.AsArray())
        {
            var epochs = p!["epochs"]!.AsArray();
            long Sum(string field) => epochs.Sum(e => e![field]!.GetValue<long>());
            table.AddRow(Escape(Text(p, "address")), Text(p, "state"), Text(p, "epoch"), Text(p, "poc_weight"), Text(p, "active_weight"), Text(p, "collateral"),
                Sum("requests").ToString(System.Globalization.CultureInfo.InvariantCulture), Sum("earned").ToString(System.Globalization.CultureInfo.InvariantCulture),
                Sum("missed").ToString(System.Globalization.CultureInfo.InvariantCulture), Sum("failed").ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static Table Epochs(JsonNode participant)
    {
        var table = Table("Epoch", "Model", "Requests", "Input tokens", "Output tokens", "Earned (ngonka)", "Missed", "Failed");
        foreach (var e in participant["epochs"]!.AsArray())
        {
            table.AddRow(Text(e, "epoch"), Escape(Text(e, "model")), Text(e, "requests"), Text(e, "input_tokens"), Text(e, "output_tokens"), Text(e, "earned"), Text(e, "missed"), Text(e, "failed"));
        }

        return table;
    }
}
