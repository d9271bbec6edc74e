using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shardgate.Tests.Infrastructure;

/// <summary>
/// A small fake of a Gonka API node's public API and chain REST on loopback, serving the recorded shapes of
/// <c>/v1/epochs/latest</c>, <c>/v1/epochs/current/participants</c> (reference §4.2), the paged
/// <c>/v1/participants</c> directory, collateral and the inference module's parameters, with numbers as strings as
/// the real one sends some. <see cref="Nodes"/> are ML nodes of one participant that has no inference URL (the
/// broker registers them itself); <see cref="AddParticipant"/> lists participants discovery routes to.
/// </summary>
internal sealed class FakeGonkaApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeGonkaApi(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public string Phase { get; set; } = "Inference";

    /// <summary>Confirmation-PoC phase (a name or a number); null when none is active.</summary>
    public JsonNode? ConfirmationPhase { get; set; }

    public long BlockHeight { get; set; } = 1_000;

    public long ResumeHeight { get; set; } = 1_010;

    public HashSet<string> PreservedNodes { get; } = [];

    public List<string> Nodes { get; } = [];

    /// <summary>When set, <c>/v1/epochs/latest</c> promises a body and cuts the connection halfway through it.</summary>
    public bool CutLatestMidBody { get; set; }

    private long _cutResponses;

    /// <summary>Answers to <c>/v1/epochs/latest</c> cut short so far.</summary>
    public long CutResponses => Interlocked.Read(ref _cutResponses);

    /// <summary><c>poc_weight</c> per node; 6000 for a node not listed.</summary>
    public Dictionary<string, long> Weights { get; } = [];

    /// <summary>The epoch both endpoints report.</summary>
    public long Epoch { get; set; } = 42;

    /// <summary>Participants as the chain lists them, in its JSON shape; tests may remove fields to see them tolerated.</summary>
    public List<JsonObject> ParticipantList { get; } = [];

    /// <summary>Runs after each answer to <c>/v1/epochs/current/participants</c>, to move the epoch mid-poll.</summary>
    public Action? AfterParticipants { get; set; }

    /// <summary>When set, the participants endpoint answers 503, as an API node that lost its chain node does.</summary>
    public bool ParticipantsDown { get; set; }

    /// <summary>Entries of the directory a page holds.</summary>
    public int PageSize { get; set; } = 2;

    /// <summary>Deposited collateral in ngonka, by participant address; a participant not listed has none (404).</summary>
    public Dictionary<string, long> Collateral { get; } = [];

    /// <summary>Coins owed (earned on chain, not yet paid) by participant address.</summary>
    public Dictionary<string, long> CoinsOwed { get; } = [];

    public long GracePeriodEndEpoch { get; set; } = 10;

    private long _participantReads;

    public long ParticipantReads => Interlocked.Read(ref _participantReads);

    private long _refusedReads;

    /// <summary>Participant reads answered 503 while <see cref="ParticipantsDown"/>.</summary>
    public long RefusedReads => Interlocked.Read(ref _refusedReads);

    /// <summary>Lists a participant serving <paramref name="model"/> on ML nodes of the given PoC weights.</summary>
    public JsonObject AddParticipant(string address, string inferenceUrl, string model, params long[] nodeWeights)
    {
        var participant = new JsonObject
        {
            ["index"] = address,
            ["validator_key"] = "dGVzdA==",
            ["weight"] = nodeWeights.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["inference_url"] = inferenceUrl,
            ["models"] = new JsonArray(model),
            ["seed"] = new JsonObject { ["participant"] = address, ["epoch_index"] = Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), ["signature"] = "00" },
            ["ml_nodes"] = new JsonArray(new JsonObject
            {
                ["ml_nodes"] = new JsonArray([.. nodeWeights.Select((w, i) => (JsonNode)new JsonObject
                {
                    ["node_id"] = $"{address}-node{i}",
                    ["throughput"] = "0",
                    ["poc_weight"] = w.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["timeslot_allocation"] = new JsonArray(true, false),
                })]),
            }),
        };
        lock (ParticipantList)
        {
            ParticipantList.Add(participant);
        }

        return participant;
    }

    public void RemoveParticipant(string address)
    {
        lock (ParticipantList)
        {
            ParticipantList.RemoveAll(p => p["index"]?.GetValue<string>() == address);
        }
    }

    public static async Task<FakeGonkaApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        FakeGonkaApi? api = null;
        app.MapGet("/v1/epochs/latest", async (HttpContext context) =>
        {
            var body = System.Text.Encoding.UTF8.GetBytes(api!.Latest().ToJsonString());
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            if (!api.CutLatestMidBody)
            {
                await context.Response.Body.WriteAsync(body);
                return;
            }

            await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2));
            await context.Response.Body.FlushAsync();
            // Let the headers and the half reach the client before the reset, which would otherwise discard them.
            await Task.Delay(50);
            context.Abort();
            Interlocked.Increment(ref api._cutResponses);
        });
        app.MapGet("/v1/epochs/current/participants", () =>
        {
            if (api!.ParticipantsDown)
            {
                Interlocked.Increment(ref api._refusedReads);
                return Results.Text("""{"code":14,"message":"connection refused"}""", "application/json", statusCode: 503);
            }

            var body = api.Participants().ToJsonString();
            Interlocked.Increment(ref api._participantReads);
            api.AfterParticipants?.Invoke();
            return Results.Text(body, "application/json");
        });
        app.MapGet("/v1/participants", (string? key) => Results.Text(api!.DirectoryPage(key).ToJsonString(), "application/json"));
        app.MapGet("/productscience/inference/collateral/collateral/{address}", (string address) =>
            api!.Collateral.TryGetValue(address, out var amount)
                ? Results.Text(new JsonObject { ["amount"] = new JsonObject { ["denom"] = "ngonka", ["amount"] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture) } }.ToJsonString(), "application/json")
                : Results.Text("""{"code":5,"message":"collateral not found","details":[]}""", "application/json", statusCode: 404));
        app.MapGet("/productscience/inference/inference/params", () => Results.Text(api!.Params().ToJsonString(), "application/json"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api = new FakeGonkaApi(app, new Uri(address));
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private JsonObject Latest() => new()
    {
        ["block_height"] = BlockHeight.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["phase"] = Phase,
        ["latest_epoch"] = new JsonObject { ["index"] = Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), ["poc_start_block_height"] = "900" },
        ["epoch_stages"] = new JsonObject { ["epoch_index"] = Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), ["set_new_validators"] = ResumeHeight, ["next_poc_start"] = "2000" },
        ["is_confirmation_poc_active"] = ConfirmationPhase is not null,
        ["active_confirmation_poc_event"] = ConfirmationPhase is null ? null : new JsonObject { ["phase"] = ConfirmationPhase.DeepClone(), ["trigger_height"] = "995" },
    };

    private JsonObject Participants()
    {
        var list = new JsonArray();
        if (Nodes.Count > 0)
        {
            list.Add(OwnNodes());
        }

        lock (ParticipantList)
        {
            foreach (var participant in ParticipantList)
            {
                list.Add(participant.DeepClone());
            }
        }

        return new JsonObject
        {
            ["active_participants"] = new JsonObject
            {
                ["participants"] = list,
                ["epoch_group_id"] = Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["poc_start_block_height"] = "900",
                ["effective_block_height"] = "910",
                ["created_at_block_height"] = "905",
                ["epoch_id"] = Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            ["addresses"] = new JsonArray(),
            ["active_participants_bytes"] = "",
            ["proof_ops"] = null,
            ["validators"] = new JsonArray(),
            ["block"] = null,
        };
    }

    private JsonObject DirectoryPage(string? key)
    {
        List<JsonObject> all;
        lock (ParticipantList)
        {
            all = [.. ParticipantList];
        }

        var start = key is null ? 0 : int.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(key)), System.Globalization.CultureInfo.InvariantCulture);
        var page = new JsonArray();
        foreach (var p in all.Skip(start).Take(PageSize))
        {
            var address = p["index"]?.GetValue<string>() ?? string.Empty;
            page.Add(new JsonObject
            {
                ["id"] = address,
                ["url"] = p["inference_url"]?.DeepClone(),
                ["coins_owed"] = CoinsOwed.GetValueOrDefault(address),
                ["balance"] = 1_000_000,
                ["voting_power"] = p["weight"]?.DeepClone(),
            });
        }

        var next = start + PageSize < all.Count ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes((start + PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture))) : null;
        return new JsonObject
        {
            ["participants"] = page,
            ["block_height"] = BlockHeight,
            ["pagination"] = new JsonObject { ["next_key"] = next, ["total"] = all.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
    }

    private JsonObject Params() => new()
    {
        ["params"] = new JsonObject
        {
            ["collateral_params"] = new JsonObject
            {
                ["base_weight_ratio"] = "0.200000000000000000",
                ["collateral_per_weight_unit"] = "1.000000000000000000",
                ["grace_period_end_epoch"] = GracePeriodEndEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        },
    };

    // The broker's own ML nodes: registered through the admin API, so this participant lists no inference URL.
    private JsonObject OwnNodes() => new()
    {
        ["index"] = "gonka1participant",
        ["weight"] = "12000",
        ["models"] = new JsonArray("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"),
        ["ml_nodes"] = new JsonArray(new JsonObject
        {
            ["ml_nodes"] = new JsonArray([.. Nodes.Select(n => (JsonNode)new JsonObject
            {
                ["node_id"] = n,
                ["poc_weight"] = Weights.GetValueOrDefault(n, 6000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["timeslot_allocation"] = new JsonArray(true, PreservedNodes.Contains(n)),
            })]),
        }),
    };
}
