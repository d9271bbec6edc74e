using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Shardgate.Ledger;
using Shardgate.Simulator;

namespace Shardgate.Hosting;

/// <summary>
/// <c>shardgate demo</c>: three SIMULATED hosts (Kimi, Qwen, MiniMax) and the gateway on loopback, wired together
/// through the real admin API, with a fresh API key; prints how to call it and runs until Ctrl-C.
/// </summary>
internal static class DemoCommand
{
    private static readonly HashSet<string> Options = ["port", "db"];

    public const string Usage = "  shardgate demo [--port 8080] [--db .shardgate/demo.db]";

    private static readonly (string Id, ModelFamily Family, int MaxModelLen, double TokensPerSecond, int TtftMs)[] Hosts =
    [
        ("sim-kimi-1", ModelFamily.Kimi, 262_144, 45, 180),
        ("sim-qwen-1", ModelFamily.Qwen, 131_072, 60, 120),
        ("sim-minimax-1", ModelFamily.MiniMax, 196_608, 50, 150),
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var cli = CliArguments.Parse(args, Options);
        var port = cli.GetInt("port", 8080, 0, 65535);
        var database = cli.GetString("db") ?? Path.Combine(".shardgate", "demo.db");
        var adminKey = Environment.GetEnvironmentVariable("SHARDGATE_ADMIN_KEY") is { Length: > 0 } configured ? configured : "sg-admin-" + ApiKeyMaterial.NewKey()[3..19];

        var sims = new List<SimulatedHost>();
        try
        {
            foreach (var h in Hosts)
            {
                sims.Add(await SimulatedHost.StartAsync(
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

            await using var gateway = await StartGatewayAsync(port, database, adminKey, cancellationToken);
            var baseUrl = gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var apiKey = await ProvisionAsync(baseUrl, adminKey, sims, cancellationToken);
            PrintBanner(baseUrl, apiKey, adminKey, database, sims);
            await SimCommand.WaitForCancellationAsync(cancellationToken);
            Console.WriteLine("Stopping the gateway and the simulated hosts...");
            await gateway.StopAsync(CancellationToken.None);
            return 0;
        }
        finally
        {
            foreach (var sim in sims)
            {
                await sim.DisposeAsync();
            }
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
            ], cancellationToken);
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
                ["id"] = Hosts[i].Id,
                ["host"] = sim.BaseUrl.Host,
                ["inference_port"] = sim.BaseUrl.Port,
                ["max_concurrent"] = sim.Options.MaxConcurrent,
                ["models"] = new JsonObject
                {
                    [sim.Options.EffectiveModelId] = new JsonObject { ["args"] = new JsonArray("--max-model-len", sim.Options.MaxModelLen.ToString(CultureInfo.InvariantCulture)) },
                },
                ["hardware"] = new JsonArray(new JsonObject { ["type"] = "SIMULATED", ["count"] = 1 }),
            };
            using var put = await http.PutAsJsonAsync($"/admin/v1/nodes/{Hosts[i].Id}", node, cancellationToken);
            await EnsureSuccessAsync(put, cancellationToken);
        }

        using var account = await http.PostAsJsonAsync("/admin/v1/accounts", new JsonObject { ["name"] = "demo" }, cancellationToken);
        await EnsureSuccessAsync(account, cancellationToken);
        var accountId = (await account.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["id"]!.GetValue<long>();
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

    private static void PrintBanner(string baseUrl, string apiKey, string adminKey, string database, List<SimulatedHost> sims)
    {
        var hosts = string.Join(Environment.NewLine, sims.Select(s => $"    {s.Options.EffectiveModelId,-42} {s.BaseUrl}  (SIMULATED, max-model-len {s.Options.MaxModelLen})"));
        Console.WriteLine($$"""

            Shardgate demo is running.

              Base URL   {{baseUrl}}/v1
              API key    {{apiKey}}
              Admin key  {{adminKey}}
              Database   {{Path.GetFullPath(database)}}

              Simulated hosts (filler text, vLLM-shaped responses):
            {{hosts}}

            Stream a completion:

              curl -N {{baseUrl}}/v1/chat/completions \
                -H "Authorization: Bearer {{apiKey}}" \
                -H "Content-Type: application/json" \
                -d '{"model": "moonshotai/Kimi-K2.6", "stream": true, "messages": [{"role": "user", "content": "Hello!"}]}'

            OpenAI SDK (Python):

              from openai import OpenAI
              client = OpenAI(base_url="{{baseUrl}}/v1", api_key="{{apiKey}}")
              print(client.chat.completions.create(model="Qwen/Qwen3-235B-A22B-Instruct-2507-FP8",
                    messages=[{"role": "user", "content": "Hello!"}]).choices[0].message.content)

            Inspect a request:   curl {{baseUrl}}/admin/v1/requests/<X-Request-Id> -H "Authorization: Bearer {{adminKey}}"

            Ctrl-C stops everything.
            """);
    }
}
