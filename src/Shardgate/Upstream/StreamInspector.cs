using System.Buffers;
using Shardgate.Contract;
using Shardgate.Contract.Response;

namespace Shardgate.Upstream;

/// <summary>
/// Looks at each SSE event of one host stream: notes usage, decides what the client sees (hidden usage chunks,
/// rewritten chunks), and remembers whether output appeared, for the empty-output warning.
/// </summary>
internal sealed class StreamInspector(ChatRequest request, ForwardResult result)
{
    private readonly ResponseRewriter? _rewriter = request.NewRewriter(result);
    private bool _sawOutput;
    private bool _finishedByLength;

    /// <summary>A chunk rewritten by the response plan, to send instead of the host's bytes.</summary>
    public byte[]? Rewritten { get; private set; }

    public string? HostError { get; private set; }

    /// <summary>True when the stream ended by the token limit without any visible output or tool call.</summary>
    public bool EndedEmptyByLength => _finishedByLength && !_sawOutput;

    public EventAction Inspect(ReadOnlySequence<byte> evt)
    {
        Rewritten = null;
        byte[]? rented = null;
        var span = evt.IsSingleSegment ? evt.FirstSpan : Copy(evt, out rented);
        try
        {
            return Classify(SseFraming.DataPayload(span));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private EventAction Classify(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return EventAction.Comment;
        }

        if (payload.SequenceEqual(SseFraming.DoneMarker))
        {
            return EventAction.Done;
        }

        if (payload.StartsWith("{\"error\""u8))
        {
            HostError = "the host sent an error: " + HostErrorReader.Extract(payload);
            return EventAction.HostError;
        }

        // Only chunks that mention usage are parsed for it; content chunks pass untouched.
        if (payload.IndexOf("\"usage\""u8) >= 0 && UsageScanner.TryRead(payload, out var usage, out var usageOnly))
        {
            result.Usage = usage;
            if (usageOnly)
            {
                return request.ClientWantsUsage ? EventAction.Forward : EventAction.Skip;
            }
        }

        result.DeliveredChunks++;
        if (FinishReasons.Find(payload) is { } finish)
        {
            result.FinishReason = finish;
            _finishedByLength |= finish == FinishReasons.Length;
        }

        Rewritten = _rewriter?.RewriteChunk(payload);
        _sawOutput |= HasOutput(Rewritten ?? payload);
        return EventAction.Forward;
    }

    // vLLM writes compact JSON: a non-empty "content" or any tool call is output; reasoning alone is not.
    private static bool HasOutput(ReadOnlySpan<byte> payload)
    {
        if (payload.IndexOf("\"tool_calls\""u8) >= 0)
        {
            return true;
        }

        return SseFraming.HasNonEmptyString(payload, "\"content\":\""u8);
    }

    private static ReadOnlySpan<byte> Copy(ReadOnlySequence<byte> evt, out byte[] rented)
    {
        rented = ArrayPool<byte>.Shared.Rent((int)evt.Length);
        evt.CopyTo(rented);
        return rented.AsSpan(0, (int)evt.Length);
    }

    internal enum EventAction
    {
        Forward,
        Skip,
        Comment,
        Done,
        HostError,
    }
}
