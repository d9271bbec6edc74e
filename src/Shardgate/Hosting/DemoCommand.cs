using Shardgate.Ledger;
using Shardgate.Simulator;

namespace Shardgate.Hosting;

/// <summary><c>shardgate demo</c>: starts a <see cref="DemoEnvironment"/>, prints how to call it, and runs until Ctrl-C.</summary>
internal static class DemoCommand
{
    private static readonly HashSet<string> Options = ["port", "db"];

    public const string Usage = "  shardgate demo [--port 8080] [--db .shardgate/demo.db]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var cli = CliArguments.Parse(args, Options);
        var port = cli.GetInt("port", 8080, 0, 65535);
        var database = cli.GetString("db") ?? Path.Combine(".shardgate", "demo.db");
        var adminKey = Environment.GetEnvironmentVariable("SHARDGATE_ADMIN_KEY") is { Length: > 0 } configured ? configured : "sg-admin-" + ApiKeyMaterial.NewKey()[3..19];
        await using var demo = await DemoEnvironment.StartAsync(port, database, adminKey, cancellationToken);
        PrintBanner(demo.BaseUrl, demo.ApiKey, adminKey, database, demo.Hosts);
        await SimCommand.WaitForCancellationAsync(cancellationToken);
        Console.WriteLine("Stopping the gateway and the simulated hosts...");
        return 0;
    }

    private static void PrintBanner(string baseUrl, string apiKey, string adminKey, string database, IReadOnlyList<SimulatedHost> sims)
    {
        var hosts = string.Join(Environment.NewLine, sims.Select(s => $"    {s.Options.EffectiveModelId,-42} {s.BaseUrl}  (SIMULATED, max-model-len {s.Options.MaxModelLen})"));
        Console.WriteLine($$"""

            Shardgate demo is running.

              Base URL   {{baseUrl}}/v1
              API key    {{apiKey}}  (account credited with 10 GNK; prices 1 and 4 ngonka per input and output token)
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

            Usage and balance:   curl {{baseUrl}}/v1/usage -H "Authorization: Bearer {{apiKey}}"
            Metrics (Prometheus): curl {{baseUrl}}/metrics
            Inspect a request:   curl {{baseUrl}}/admin/v1/requests/<X-Request-Id> -H "Authorization: Bearer {{adminKey}}"

            Ctrl-C stops everything.
            """);
    }
}
