using BenchmarkDotNet.Running;

namespace Shardgate.Benchmarks;

internal static class BenchmarkProgram
{
    /// <summary>The load benchmarks by their first argument; anything else goes to BenchmarkDotNet.</summary>
    private static readonly Dictionary<string, Func<string[], Task>> Modes = new(StringComparer.Ordinal)
    {
        ["ledger"] = LedgerLoad.RunAsync,
        ["overhead"] = GatewayOverheadBench.RunAsync,
        ["alloc"] = AllocationPerRequestBench.RunAsync,
        ["passthrough"] = NaivePassThrough.RunAsync,
        ["memory"] = OpenStreamsMemoryBench.RunAsync,
        ["routing"] = RoutingBench.RunAsync,
        ["latency"] = ConcurrencyOneBench.RunAsync,
        ["spoolwrite"] = SpoolWriteBench.RunAsync,
        ["tokens"] = TokenAccuracyBench.RunAsync,
        ["validation"] = ValidationFalsePositiveBench.RunAsync,
    };

    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && Modes.TryGetValue(args[0], out var run))
        {
            await run(args);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
