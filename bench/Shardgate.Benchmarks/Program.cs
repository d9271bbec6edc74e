using BenchmarkDotNet.Running;

namespace Shardgate.Benchmarks;

internal static class BenchmarkProgram
{
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ledger")
        {
            await LedgerLoad.RunAsync(args);
            return;
        }

        if (args.Length > 0 && args[0] == "overhead")
        {
            await GatewayOverheadBench.RunAsync(args);
            return;
        }

        if (args.Length > 0 && args[0] == "alloc")
        {
            await AllocationPerRequestBench.RunAsync(args);
            return;
        }

        if (args.Length > 0 && args[0] == "passthrough")
        {
            await NaivePassThrough.RunAsync(args);
            return;
        }

        if (args.Length > 0 && args[0] == "memory")
        {
            await OpenStreamsMemoryBench.RunAsync(args);
            return;
        }

        if (args.Length > 0 && args[0] == "routing")
        {
            await RoutingBench.RunAsync(args);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
