using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Shardgate.Upstream;

namespace Shardgate.Benchmarks;

/// <summary>
/// The per-chunk work of the stream relay: framing an SSE event, finding its data, and checking for usage.
/// One operation is a whole 200-token stream (role, 200 content chunks, finish, usage, [DONE]).
/// </summary>
[MemoryDiagnoser]
public class ChunkScanBenchmarks
{
    private ReadOnlySequence<byte> _stream;

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
        sb.Append("data: [DONE]\n\n");
        _stream = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    [Benchmark]
    public int FrameAndScan200TokenStream()
    {
        var buffer = _stream;
        var usageTokens = 0;
        while (SseFraming.TryReadEvent(ref buffer, out var evt))
        {
            var payload = SseFraming.DataPayload(evt.FirstSpan);
            if (payload.IndexOf("\"usage\""u8) >= 0 && UsageScanner.TryRead(payload, out var usage, out _))
            {
                usageTokens += usage.CompletionTokens;
            }
        }

        return usageTokens;
    }
}
