using System.Buffers;
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
        _stream = SampleStreams.Kimi(200, withDone: true);
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
