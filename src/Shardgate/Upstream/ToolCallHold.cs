using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Shardgate.Kernel;
using Shardgate.Routing;

namespace Shardgate.Upstream;

/// <summary>
/// For an emulated <c>tool_choice: "required"</c>: a stream is read to its end before any byte reaches the client,
/// because only the whole answer says whether it called a tool (reasoning, and MiniMax's inline thinking, come
/// first). A stream with a call is then relayed from the copy as if from the host; one without is held back, its
/// usage noted, so the request can be retried with an instruction.
/// </summary>
internal static class ToolCallHold
{
    /// <summary>Null once the stream called a tool and the attempt replays it; else how the hold ended.</summary>
    public static async Task<RelayResult?> HoldStreamAsync(UpstreamAttempt attempt, ForwardResult result, UpstreamOptions options)
    {
        var reader = attempt.Reader!;
        var deadline = attempt.Deadline;
        var held = new ArrayBufferWriter<byte>(16 * 1024);
        var called = false;
        Usage? usage = null;
        string? finish = null;
        while (true)
        {
            ReadResult read;
            try
            {
                deadline.Rearm(options.InterChunkTimeout);
                read = await reader.ReadAsync(deadline.Token);
            }
            catch (Exception ex) when (StreamRelay.IsTransport(ex))
            {
                return deadline.ClientAborted.IsCancellationRequested
                    ? new RelayResult(RelayOutcome.ClientDisconnected)
                    : new RelayResult(RelayOutcome.FailedBeforeOutput, deadline.Expired ? "the host fell silent" : "connection lost: " + ex.Message, HostFault.Transport);
            }

            var buffer = read.Buffer;
            var done = false;
            while (!done && SseFraming.TryReadEvent(ref buffer, out var evt))
            {
                var payload = SseFraming.DataPayload(evt);
                foreach (var segment in evt)
                {
                    held.Write(segment.Span);
                }

                if (payload.SequenceEqual(SseFraming.DoneMarker))
                {
                    done = true;
                }
                else if (payload.StartsWith("{\"error\""u8))
                {
                    return new RelayResult(RelayOutcome.FailedBeforeOutput, "the host sent an error: " + HostErrorReader.Extract(payload), HostFault.Transport);
                }
                else
                {
                    called |= payload.IndexOf("\"tool_calls\""u8) >= 0;
                    if (UsageScanner.TryRead(payload, out var seen, out _))
                    {
                        usage = seen;
                    }

                    finish = FinishReasons.Find(payload) ?? finish;
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (held.WrittenCount > options.MaxResponseBytes)
            {
                return new RelayResult(RelayOutcome.FailedBeforeOutput, "the host's response exceeded the size limit", HostFault.Transport);
            }

            if (done)
            {
                break;
            }

            if (read.IsCompleted)
            {
                return new RelayResult(RelayOutcome.FailedBeforeOutput, "the host closed the stream before [DONE]", HostFault.Soft);
            }
        }

        if (!called)
        {
            // A stream with a call is counted by the relay as it replays it; this one only here.
            (result.Usage, result.FinishReason) = (usage, finish);
            return new RelayResult(RelayOutcome.NoToolCall);
        }

        attempt.Replay(held.WrittenMemory);
        return null;
    }

    /// <summary>Whether a whole completion's first choice called a tool.</summary>
    public static bool HasToolCall(ReadOnlySpan<byte> completion)
    {
        if (completion.IndexOf("\"tool_calls\""u8) < 0)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(completion);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.TryGetProperty("choices"u8, out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
                && choices[0].TryGetProperty("message"u8, out var message)
                && message.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
