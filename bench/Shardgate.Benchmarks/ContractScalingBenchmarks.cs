using BenchmarkDotNet.Attributes;

namespace Shardgate.Benchmarks;

/// <summary>The contract on agent requests of growing history (40 tools each), to show cost grows linearly with size.</summary>
[MemoryDiagnoser]
public class ContractScalingBenchmarks
{
    private readonly ContractRunner _runner = new("moonshotai/Kimi-K2.6");
    private byte[] _body = [];

    [Params(15, 30, 60, 120, 240)]
    public int Turns { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = AgentRequest.Build(tools: 40, turns: Turns);
        Console.WriteLine($"turns={Turns}: {_body.Length} bytes");
    }

    [Benchmark]
    public int Contract() => _runner.Run(_body);
}
