using System.Buffers;
using System.IO.Pipelines;

namespace Shardgate.Upstream;

/// <summary>
/// Reads a host stream up to its first content — text, reasoning or a tool call — without consuming anything, so
/// the relay later sends every event from the start. The role-only chunk vLLM sends first does not count: a host
/// that sends it and then stalls has not answered (reference §4.5, "the role-only chunk is buffered until content
/// appears"). A stream that completes without content but with chunks (a legitimately empty answer) is ready too.
/// </summary>
internal static class FirstContent
{
    public static async Task<AttemptStart> WaitAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            var chunks = false;
            while (SseFraming.TryReadEvent(ref buffer, out var evt))
            {
                switch (Classify(evt))
                {
                    case Signal.Content:
                        reader.AdvanceTo(read.Buffer.Start);
                        return AttemptStart.Ready;
                    case Signal.Done when chunks:
                        reader.AdvanceTo(read.Buffer.Start);
                        return AttemptStart.Ready;
                    case Signal.Done:
                        return AttemptStart.Failed("the host sent an empty stream", Routing.HostFault.Soft);
                    case Signal.Error:
                        return AttemptStart.Failed("the host sent an error: " + HostErrorReader.Extract(SseFraming.DataPayload(evt)), Routing.HostFault.Transport);
                    case Signal.Chunk:
                        chunks = true;
                        break;
                }
            }

            if (read.IsCompleted)
            {
                return AttemptStart.Failed(chunks ? "the host closed the stream before [DONE]" : "the host sent an empty stream", Routing.HostFault.Soft);
            }

            // Nothing consumed, everything examined: the next read waits for more bytes and returns them all.
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static Signal Classify(ReadOnlySequence<byte> evt)
    {
        var payload = SseFraming.DataPayload(evt);
        if (payload.IsEmpty)
        {
            return Signal.Comment;
        }

        if (payload.SequenceEqual(SseFraming.DoneMarker))
        {
            return Signal.Done;
        }

        if (payload.StartsWith("{\"error\""u8))
        {
            return Signal.Error;
        }

        if (payload.IndexOf("\"choices\":[]"u8) >= 0)
        {
            return Signal.Comment;
        }

        return HasContent(payload) ? Signal.Content : Signal.Chunk;
    }

    // vLLM writes compact JSON; a non-empty string in any of these fields, or any tool call, is content.
    private static bool HasContent(ReadOnlySpan<byte> payload) =>
        payload.IndexOf("\"tool_calls\""u8) >= 0
        || SseFraming.HasNonEmptyString(payload, "\"content\":\""u8)
        || SseFraming.HasNonEmptyString(payload, "\"reasoning_content\":\""u8)
        || SseFraming.HasNonEmptyString(payload, "\"reasoning\":\""u8);

    private enum Signal
    {
        Comment,
        Chunk,
        Content,
        Done,
        Error,
    }
}
