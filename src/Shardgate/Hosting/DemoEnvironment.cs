using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Shardgate.Simulator;

namespace Shardgate.Hosting;

/// <summary>
/// What <c>demo</c> runs: three SIMULATED hosts (Kimi, Qwen, MiniMax) and the gateway on loopback, wired together
/// through the real admin API, with an account and a fresh API key.
/// </summary>
internal sealed class DemoEnvironment : IAsyncDisposable
{
    private static readonly (string Id, ModelFamily Family, int MaxModelLen, double TokensPerSecond, int TtftMs)[] HostPlan =
    [
        ("sim-kimi-1", ModelFamily.Kimi, 262_144, 45, 180),
        ("sim-qwen-1", ModelFamily.Qwen, 131_072, 60, 120),
        ("sim-minimax-1", ModelFamily.MiniMax, 196_608, 50, 150),
    ];

    /// <summary>10 GNK for the demo account.</summary>
    public const long DemoCredit = 10_000_000_000;

    private readonly List<SimulatedHost> _hosts;
    private WebApplication? _gateway;

    private DemoEnvironment(List<SimulatedHost> hosts)
    {
        _hosts = hosts;
    }

    /// <summary>The gateway's root URL; the API is under <c>/v1</c>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    public string ApiKey { get; private set; } = string.Empty;

    public IReadOnlyList<SimulatedHost> Hosts => _hosts;

    public static async Task<DemoEnvironment> StartAsync(int port, string database, string adminKey, CancellationToken cancellationToken)
    {
        var demo = new DemoEnvironment([]);
        try
        {
            foreach (var h in HostPlan)
            {
                demo._hosts.Add(await SimulatedHost.StartAsync(
                    new SimulatedHostOptions
                    {
                        Family = h.Family,
                        MaxModelLen = h.MaxModelLen,
                        TokensPerSecond = h.TokensPerSecond,
                        TimeToFirstToken = TimeSpan.FromMilliseconds(h.TtftMs),
                        PrefillTokensPerSecond = 20_000,
                        MaxConcurrent = 64,
                    },
                    cancellationToken: cancellationToken));
            }

            demo._gateway = await StartGatewayAsync(port, database, adminKey, cancellationToken);
            demo.BaseUrl = demo._gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            demo.ApiKey = await ProvisionAsync(demo.BaseUrl, adminKey, demo._hosts, cancellationToken);
            return demo;
        }
        catch
        {
            await demo.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.StopAsync(CancellationToken.None);
            await _gateway.DisposeAsync();
        }

        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }

    private static async Task<WebApplication> StartGatewayAsync(int port, string database, string adminKey, CancellationToken cancellationToken)
    {
        foreach (var candidate in port == 0 ? [0] : new[] { port, 0 })
        {
            var app = await GatewayApplication.CreateAsync(
            [
                "--urls", $"http://127.0.0.1:{candidate.ToString(CultureInfo.InvariantCulture)}",
                "--Shardgate:Database", database,
                "--Shardgate:AdminKey", adminKey,
                "--Logging:LogLevel:Default", "Warning",
                // Claude Code's own model names (its default, and the small model it uses for titles and summaries).
                "--Shardgate:Contract:Aliases:claude-opus-*", ModelFamilies.KimiModelId,
                "--Shardgate:Contract:Aliases:claude-sonnet-*", ModelFamilies.MiniMaxModelId,
                "--Shardgate:Contract:Aliases:claude-haiku-*", ModelFamilies.QwenModelId,
            ], cancellationToken: cancellationToken);
            try
            {
                await app.StartAsync(cancellationToken);
                return app;
            }
            catch (IOException) when (candidate != 0)
            {
                Console.WriteLine($"Port {candidate} is taken; using a free port instead (pass --port to choose one).");
                await app.DisposeAsync();
            }
        }

        throw new InvalidOperationException("unreachable: port 0 always binds");
    }

    private static async Task<string> ProvisionAsync(string baseUrl, string adminKey, List<SimulatedHost> sims, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", adminKey);
        for (var i = 0; i < sims.Count; i++)
        {
            var sim = sims[i];
            var node = new JsonObject
            {
                ["id"] = HostPlan[i].Id,
                ["host"] = sim.BaseUrl.Host,
                ["inference_port"] = sim.BaseUrl.Port,
                ["max_concurrent"] = sim.Options.MaxConcurrent,
                ["models"] = new JsonObject
                {
                    [sim.Options.EffectiveModelId] = new JsonObject { ["args"] = new JsonArray("--max-model-len", sim.Options.MaxModelLen.ToString(CultureInfo.InvariantCulture)) },
                },
                ["hardware"] = new JsonArray(new JsonObject { ["type"] = "SIMULATED", ["count"] = 1 }),
            };
            using var put = await http.PutAsJsonAsync($"/admin/v1/nodes/{HostPlan[i].Id}", node, cancellationToken);
            await EnsureSuccessAsync(put, cancellationToken);
        }

        foreach (var sim in sims)
        {
            // Demo prices in ngonka per token, the network's unit: input 1, output 4 (reasoning counts as output).
            using var price = await http.PostAsJsonAsync("/admin/v1/prices", new JsonObject { ["model"] = sim.Options.EffectiveModelId, ["input_per_token"] = 1, ["output_per_token"] = 4 }, cancellationToken);
            await EnsureSuccessAsync(price, cancellationToken);
        }

        using var account = await http.PostAsJsonAsync("/admin/v1/accounts", new JsonObject { ["name"] = "demo" }, cancellationToken);
        await EnsureSuccessAsync(account, cancellationToken);
        var accountId = (await account.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["id"]!.GetValue<long>();
        using var credit = await http.PostAsJsonAsync($"/admin/v1/accounts/{accountId}/credit", new JsonObject { ["amount"] = DemoCredit }, cancellationToken);
        await EnsureSuccessAsync(credit, cancellationToken);
        using var key = await http.PostAsync($"/admin/v1/accounts/{accountId}/keys", null, cancellationToken);
        await EnsureSuccessAsync(key, cancellationToken);
        return (await key.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["key"]!.GetValue<string>();
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
    }
}
