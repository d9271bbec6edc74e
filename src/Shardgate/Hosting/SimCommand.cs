using Shardgate.Simulator;

namespace Shardgate.Hosting;

/// <summary><c>shardgate sim</c>: one SIMULATED vLLM host on loopback, until Ctrl-C.</summary>
internal static class SimCommand
{
    private static readonly HashSet<string> Options =
    [
        "family", "model", "host", "port", "max-model-len", "tokens-per-second", "ttft-ms", "prefill-tokens-per-second", "max-concurrent", "fault",
    ];

    public const string Usage = """
          shardgate sim --family kimi|minimax|qwen|generic [--port 8001] [--host 127.0.0.1] [--model ID]
                        [--max-model-len 32768] [--tokens-per-second 40] [--ttft-ms 150]
                        [--prefill-tokens-per-second 20000] [--max-concurrent 64] [--fault SPEC]
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var cli = CliArguments.Parse(args, Options);
        if (!ModelFamilies.TryParse(cli.GetString("family") ?? "generic", out var family))
        {
            throw new ArgumentException("--family must be kimi, minimax, qwen or generic");
        }

        var options = new SimulatedHostOptions
        {
            Family = family,
            ModelId = cli.GetString("model"),
            MaxModelLen = cli.GetInt("max-model-len", 32_768, 16),
            TokensPerSecond = cli.GetDouble("tokens-per-second", 40),
            TimeToFirstToken = TimeSpan.FromMilliseconds(cli.GetInt("ttft-ms", 150, 0)),
            PrefillTokensPerSecond = cli.GetDouble("prefill-tokens-per-second", 20_000),
            MaxConcurrent = cli.GetInt("max-concurrent", 64, 1),
            Fault = cli.GetString("fault"),
        };
        var url = $"http://{cli.GetString("host") ?? "127.0.0.1"}:{cli.GetInt("port", 8001, 0, 65535)}";
        await using var host = await SimulatedHost.StartAsync(options, url, cancellationToken: cancellationToken);
        Console.WriteLine($"SIMULATED vLLM host ({family}) serving '{options.EffectiveModelId}' at {host.BaseUrl} (max-model-len {options.MaxModelLen}). Ctrl-C stops it.");
        await WaitForCancellationAsync(cancellationToken);
        return 0;
    }

    internal static async Task WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
