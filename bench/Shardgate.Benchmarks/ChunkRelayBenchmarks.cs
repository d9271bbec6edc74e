using System.Buffers;
using System.IO.Pipelines;
using System.Text;
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
        var sb = new StringBuilder();
        const string Head = "{\"id\":\"chatcmpl-0123456789abcdef0123456789abcdef\",\"object\":\"chat.completion.chunk\",\"created\":1795377453,\"model\":\"moonshotai/Kimi-K2.6\",\"choices\":[{\"index\":0,\"delta\":";
        sb.Append("data: ").Append(Head).Append("{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        for (var i = 0; i < 200; i++)
        {
            sb.Append("data: ").Append(Head).Append("{\"content\":\" token\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        }

        sb.Append("data: ").Append(Head).Append("{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n");
        sb.Append("data: {\"id\":\"chatcmpl-0\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":900,\"total_tokens\":1100,\"completion_tokens\":200}}\n\n");
        _stream = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(sb.ToString()));
        _request = new ChatRequest("moonshotai/Kimi-K2.6", true, false, 1024, new ResponsePlan(false, false, false), AffinityKeys.None);
    }

    [Benchmark]
    public long Relay200TokenStream()
    {
        var trace = new RequestTrace("req_bench", DateTimeOffset.UnixEpoch, 0);
        var inspector = new StreamInspector(_request, trace);
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

        return trace.Usage?.CompletionTokens ?? trace.DeliveredChunks;
    }
}
