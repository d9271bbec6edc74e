using BenchmarkDotNet.Attributes;

namespace Shardgate.Benchmarks;

/// <summary>
/// The request contract end to end: one parse, every rule for the model's family, one write of the upstream
/// body. Run on a ~130 KB Kimi agent request (40 tools, 60 tool-using turns) and a small chat request.
/// </summary>
[MemoryDiagnoser]
public class RequestPipelineBenchmarks
{
    private readonly ContractRunner _runner = new("moonshotai/Kimi-K2.6");
    private byte[] _agent = [];
    private byte[] _small = [];

    [GlobalSetup]
    public void Setup()
    {
        _agent = AgentRequest.Build();
        _small = AgentRequest.Build(tools: 0, turns: 1);
        Console.WriteLine($"agent request: {_agent.Length} bytes; small request: {_small.Length} bytes");
    }

    [Benchmark]
    public int AgentRequestContract() => _runner.Run(_agent);

    [Benchmark]
    public int SmallRequestContract() => _runner.Run(_small);
}
