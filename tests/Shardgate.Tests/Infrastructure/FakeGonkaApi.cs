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
/// A small fake of a Gonka API node's public API on loopback, serving the shapes of <c>/v1/epochs/latest</c> and
/// <c>/v1/epochs/current/participants</c> (reference §4.2), with numbers as strings as the real one sends some.
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
        app.MapGet("/v1/epochs/current/participants", () => Results.Text(api!.Participants().ToJsonString(), "application/json"));
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
        ["latest_epoch"] = new JsonObject { ["index"] = "42", ["poc_start_block_height"] = "900" },
        ["epoch_stages"] = new JsonObject { ["epoch_index"] = "42", ["set_new_validators"] = ResumeHeight, ["next_poc_start"] = "2000" },
        ["is_confirmation_poc_active"] = ConfirmationPhase is not null,
        ["active_confirmation_poc_event"] = ConfirmationPhase is null ? null : new JsonObject { ["phase"] = ConfirmationPhase.DeepClone(), ["trigger_height"] = "995" },
    };

    private JsonObject Participants() => new()
    {
        ["active_participants"] = new JsonObject
        {
            ["participants"] = new JsonArray(new JsonObject
            {
                ["index"] = "gonka1participant",
                ["inference_url"] = "http://10.0.0.5:8080",
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
            }),
        },
    };
}
