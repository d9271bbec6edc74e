using System.Buffers;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Shardgate.Contract;
using Shardgate.Contract.Response;
using Shardgate.Observability;
using Shardgate.Routing;
using Shardgate.Upstream;

namespace Shardgate.Benchmarks;

/// <summary>
/// The stream relay's per-chunk path as the gateway runs it: frame each SSE event, inspect it (usage, output,
/// rewrites), and write it to the response's <see cref="PipeWriter"/>. One operation is a whole 200-token stream;
/// the allocation column is the proof that the per-chunk path allocates nothing the framework does not force.
/// </summary>
[MemoryDiagnoser]
public class ChunkRelayBenchmarks
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private ReadOnlySequence<byte> _stream;
    private ChatRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _stream = SampleStreams.Kimi(200, withDone: false);
        _request = new ChatRequest("req_bench", "moonshotai/Kimi-K2.6", true, false, 1024, new ResponsePlan(false, false, false), AffinityKeys.None, ApiDialect.OpenAi, "msg_bench");
    }

    [Benchmark]
    public long Relay200TokenStream()
    {
        var result = new ForwardResult();
        var inspector = new StreamInspector(_request, result);
        var writer = _pipe.Writer;
        var buffer = _stream;
        while (SseFraming.TryReadEvent(ref buffer, out var evt))
        {
            if (inspector.Inspect(evt) != StreamInspector.EventAction.Forward)
            {
                continue;
            }

            foreach (var segment in evt)
            {
                writer.Write(segment.Span);
            }

            // With no pause threshold a flush completes synchronously, as it does on Kestrel's pipe until it fills.
            var flush = writer.FlushAsync();
            if (!flush.IsCompleted)
            {
                throw new InvalidOperationException("the flush was expected to complete synchronously");
            }

            flush.GetAwaiter().GetResult();
            // The reader stands in for the socket: it takes the bytes and drops them.
            _pipe.Reader.TryRead(out var read);
            _pipe.Reader.AdvanceTo(read.Buffer.End);
        }

        return result.Usage?.CompletionTokens ?? result.DeliveredChunks;
    }
}
