using BenchmarkDotNet.Attributes;
using Shardgate.Contract;

namespace Shardgate.Benchmarks;

/// <summary>The contract on agent requests of growing history (40 tools each), to show cost grows linearly with size.</summary>
[MemoryDiagnoser]
public class ContractScalingBenchmarks
{
    private readonly ContractOptions _options = new();
    private ChatPipeline _pipeline = null!;
    private ModelProfile _kimi = null!;
    private byte[] _body = [];

    [Params(15, 30, 60, 120, 240)]
    public int Turns { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pipeline = new ChatPipeline(_options);
        _kimi = ModelProfile.For("moonshotai/Kimi-K2.6", _options);
        _body = AgentRequest.Build(tools: 40, turns: Turns);
        Console.WriteLine($"turns={Turns}: {_body.Length} bytes");
    }

    [Benchmark]
    public int Contract()
    {
        if (!ParsedRequest.TryParse(_body, _options, out var parsed, out var parseError))
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

            using var upstream = UpstreamBodyWriter.Write(context, _body.Length);
            return upstream.WrittenCount;
        }
    }
}
