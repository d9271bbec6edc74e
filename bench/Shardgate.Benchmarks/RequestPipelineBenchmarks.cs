using BenchmarkDotNet.Attributes;
using Shardgate.Contract;

namespace Shardgate.Benchmarks;

/// <summary>
/// The request contract end to end: one parse, every rule for the model's family, one write of the upstream
/// body. Run on a ~130 KB Kimi agent request (40 tools, 60 tool-using turns) and a small chat request.
/// </summary>
[MemoryDiagnoser]
public class RequestPipelineBenchmarks
{
    private readonly ContractOptions _options = new();
    private ChatPipeline _pipeline = null!;
    private ModelProfile _kimi = null!;
    private byte[] _agent = [];
    private byte[] _small = [];

    [GlobalSetup]
    public void Setup()
    {
        _pipeline = new ChatPipeline(_options);
        _kimi = ModelProfile.For("moonshotai/Kimi-K2.6", _options);
        _agent = AgentRequest.Build();
        _small = AgentRequest.Build(tools: 0, turns: 1);
        Console.WriteLine($"agent request: {_agent.Length} bytes; small request: {_small.Length} bytes");
    }

    [Benchmark]
    public int AgentRequestContract() => Run(_agent);

    [Benchmark]
    public int SmallRequestContract() => Run(_small);

    private int Run(byte[] body)
    {
        if (!ParsedRequest.TryParse(body, _options, out var parsed, out var parseError))
        {
            throw new InvalidOperationException(parseError.Message);
        }

        using (parsed)
        {
            var context = _pipeline.Apply(parsed, _kimi, isAdmin: false, out var error);
            if (error is not null)
            {
                throw new InvalidOperationException(error.Message);
            }

            using var upstream = UpstreamBodyWriter.Write(context, body.Length);
            return upstream.WrittenCount;
        }
    }
}
