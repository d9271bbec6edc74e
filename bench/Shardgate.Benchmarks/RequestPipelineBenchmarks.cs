using BenchmarkDotNet.Attributes;
using Shardgate.Contract;

namespace Shardgate.Benchmarks;

/// <summary>The request's one parse and one write, on a ~120 KB agent request and a small chat request.</summary>
[MemoryDiagnoser]
public class RequestPipelineBenchmarks
{
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
    public int AgentRequestParseAndWrite() => ParseAndWrite(_agent);

    [Benchmark]
    public int SmallRequestParseAndWrite() => ParseAndWrite(_small);

    private static int ParseAndWrite(byte[] body)
    {
        if (!ChatRequestReader.TryRead(body, out var request, out _))
        {
            throw new InvalidOperationException("benchmark body must be valid");
        }

        using var upstream = UpstreamBodyWriter.Write(request, request.Model);
        return upstream.WrittenCount;
    }
}
