using System.Buffers;

namespace Shardgate.Upstream;

/// <summary>Splits a server-sent-event byte stream into events (LF or CRLF framing) and finds their data.</summary>
internal static class SseFraming
{
    public static ReadOnlySpan<byte> DoneMarker => "[DONE]"u8;

    /// <summary>Takes one complete event, through its blank line, off the front of <paramref name="buffer"/>.</summary>
    public static bool TryReadEvent(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> evt)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryAdvanceTo((byte)'\n', advancePastDelimiter: true))
        {
            if (reader.IsNext((byte)'\n', advancePast: true) || reader.IsNext("\r\n"u8, advancePast: true))
            {
                evt = buffer.Slice(0, reader.Position);
                buffer = buffer.Slice(reader.Position);
                return true;
            }
        }

        evt = default;
        return false;
    }

    /// <summary>
    /// The data of an event read from a pipe. An event split across pipe segments is rare (a segment holds 16 KiB), so
    /// copying it then is simpler than walking the segments.
    /// </summary>
    public static ReadOnlySpan<byte> DataPayload(ReadOnlySequence<byte> evt) =>
        DataPayload(evt.IsSingleSegment ? evt.FirstSpan : evt.ToArray());

    /// <summary>Whether compact JSON has a non-empty string at <paramref name="field"/> (given with its opening quote: <c>"content":"</c>).</summary>
    public static bool HasNonEmptyString(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> field)
    {
        var at = payload.IndexOf(field);
        return at >= 0 && at + field.Length < payload.Length && payload[at + field.Length] != (byte)'"';
    }

    /// <summary>The value of the event's first <c>data:</c> line (one leading space removed), or empty when it has none.</summary>
    public static ReadOnlySpan<byte> DataPayload(ReadOnlySpan<byte> evt)
    {
        while (!evt.IsEmpty)
        {
            var end = evt.IndexOf((byte)'\n');
            var line = end < 0 ? evt : evt[..end];
            evt = end < 0 ? default : evt[(end + 1)..];
            if (line.StartsWith("data:"u8))
            {
                line = line[5..];
                if (!line.IsEmpty && line[0] == (byte)' ')
                {
                    line = line[1..];
                }

                return line.TrimEnd((byte)'\r');
            }
        }

        return default;
    }
}
