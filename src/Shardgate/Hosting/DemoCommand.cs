using System.CommandLine;
using Shardgate.Ledger;
using Shardgate.Simulator;

namespace Shardgate.Hosting;

/// <summary><c>shardgate demo</c>: starts a <see cref="DemoEnvironment"/>, prints how to call it, and runs until Ctrl-C.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "The gateway's port (a free one if it is taken)", DefaultValueFactory = _ => 8080 }.Between(0, 65535);
        var database = new Option<string>("--db") { Description = "The SQLite file", DefaultValueFactory = _ => Path.Combine(".shardgate", "demo.db") };
        var demo = new Command("demo", "Three SIMULATED hosts and the gateway on loopback, with a funded API key") { port, database };
        demo.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(port), parse.GetRequiredValue(database), cancellationToken));
        return demo;
    }

    private static async Task<int> RunAsync(int port, string database, CancellationToken cancellationToken)
    {
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

              Base URL   {{baseUrl}}/v1  (OpenAI SDKs, LangChain, the AI SDK, Codex)
              Anthropic  {{baseUrl}}  (Claude Code and Anthropic SDKs add /v1 themselves)
              API key    {{apiKey}}  (account credited with 10 GNK; prices 1 and 4 ngonka per input and output token)
              Admin key  {{adminKey}}
              Dashboard  {{baseUrl}}/ui  (sign in with the admin key)
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

            Claude Code (its own names are aliases here: claude-opus-* is Kimi, claude-sonnet-* MiniMax, claude-haiku-* Qwen):

              export ANTHROPIC_BASE_URL={{baseUrl}} ANTHROPIC_AUTH_TOKEN={{apiKey}} ANTHROPIC_MODEL=moonshotai/Kimi-K2.6

            Codex (~/.codex/config.toml, then: export SHARDGATE_API_KEY={{apiKey}}):

              model = "moonshotai/Kimi-K2.6"
              model_provider = "shardgate"
              web_search = "disabled"
              [features]
              multi_agent = false
              [model_providers.shardgate]
              name = "Shardgate"
              base_url = "{{baseUrl}}/v1"
              env_key = "SHARDGATE_API_KEY"
              wire_api = "responses"

            The CLI (another terminal):

              export SHARDGATE_URL={{baseUrl}} SHARDGATE_ADMIN_KEY={{adminKey}}
              dotnet run --project src/Shardgate -- status

            Usage and balance:   curl {{baseUrl}}/v1/usage -H "Authorization: Bearer {{apiKey}}"
            Metrics (Prometheus): curl {{baseUrl}}/metrics
            Inspect a request:   curl {{baseUrl}}/admin/v1/requests/<X-Request-Id> -H "Authorization: Bearer {{adminKey}}"

            Ctrl-C stops everything.
            """);
    }
}
