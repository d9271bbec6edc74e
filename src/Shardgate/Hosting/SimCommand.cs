using System.CommandLine;
using Shardgate.Simulator;

namespace Shardgate.Hosting;

/// <summary><c>shardgate sim</c>: one SIMULATED vLLM host on loopback, until Ctrl-C.</summary>
internal static class SimCommand
{
    public static Command Create()
    {
        var family = new Option<string>("--family") { Description = "The model family it imitates", DefaultValueFactory = _ => "generic" };
        family.AcceptOnlyFromAmong("kimi", "minimax", "qwen", "generic");
        var model = new Option<string?>("--model") { Description = "The model id it serves (default: the family's)" };
        var host = new Option<string>("--host") { Description = "The address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "The port to listen on", DefaultValueFactory = _ => 8001 };
        var maxModelLen = new Option<int>("--max-model-len") { Description = "Its context window in tokens", DefaultValueFactory = _ => 32_768 };
        var tokensPerSecond = new Option<double>("--tokens-per-second") { Description = "Output speed", DefaultValueFactory = _ => 40 };
        var ttft = new Option<int>("--ttft-ms") { Description = "Time to first token, before prefill", DefaultValueFactory = _ => 150 };
        var prefill = new Option<double>("--prefill-tokens-per-second") { Description = "Prompt processing speed", DefaultValueFactory = _ => 20_000 };
        var maxConcurrent = new Option<int>("--max-concurrent") { Description = "Requests it holds at once before answering 429", DefaultValueFactory = _ => 64 };
        var fault = new Option<string?>("--fault") { Description = "A fault to inject (docs/simulator.md lists them)" };
        var sim = new Command("sim", "One SIMULATED vLLM host on loopback") { family, model, host, port, maxModelLen, tokensPerSecond, ttft, prefill, maxConcurrent, fault };
        port.Between(0, 65535);
        maxModelLen.Between(16, int.MaxValue);
        ttft.Between(0, int.MaxValue);
        maxConcurrent.Between(1, int.MaxValue);
        tokensPerSecond.Between(0, double.MaxValue);
        prefill.Between(0, double.MaxValue);
        sim.SetAction(async (parse, cancellationToken) =>
        {
            // The parser accepts only the four names, each of which parses.
            _ = ModelFamilies.TryParse(parse.GetRequiredValue(family), out var parsedFamily);
            var options = new SimulatedHostOptions
            {
                Family = parsedFamily,
                ModelId = parse.GetValue(model),
                MaxModelLen = parse.GetValue(maxModelLen),
                TokensPerSecond = parse.GetValue(tokensPerSecond),
                TimeToFirstToken = TimeSpan.FromMilliseconds(parse.GetValue(ttft)),
                PrefillTokensPerSecond = parse.GetValue(prefill),
                MaxConcurrent = parse.GetValue(maxConcurrent),
                Fault = parse.GetValue(fault),
            };
            await using var simulated = await SimulatedHost.StartAsync(options, $"http://{parse.GetRequiredValue(host)}:{parse.GetValue(port)}", cancellationToken: cancellationToken);
            Console.WriteLine($"SIMULATED vLLM host ({parsedFamily}) serving '{options.EffectiveModelId}' at {simulated.BaseUrl} (max-model-len {options.MaxModelLen}). Ctrl-C stops it.");
            await WaitForCancellationAsync(cancellationToken);
            return 0;
        });
        return sim;
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
