using System.Buffers;
using System.Text;
using Shardgate.Upstream;

namespace Shardgate.Tests.Upstream;

public sealed class SseFramingTests
{
    [Theory]
    [InlineData("data: a\n\ndata: b\n\n", new[] { "a", "b" }, "")]
    [InlineData("data: a\r\n\r\ndata: b\r\n\r\n", new[] { "a", "b" }, "")]
    [InlineData("data: a\n\ndata: partial", new[] { "a" }, "data: partial")]
    [InlineData("data: a\n", new string[0], "data: a\n")]
    [InlineData(": keep-alive\n\ndata: [DONE]\n\n", new[] { "", "[DONE]" }, "")]
    [InlineData("event: x\ndata:nospace\n\n", new[] { "nospace" }, "")]
    public void Splits_events_and_leaves_the_partial_tail(string stream, string[] payloads, string tail)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(stream));
        var seen = new List<string>();
        while (SseFraming.TryReadEvent(ref buffer, out var evt))
        {
            seen.Add(Encoding.UTF8.GetString(SseFraming.DataPayload(evt.ToArray())));
        }

        Assert.Equal(payloads, seen);
        Assert.Equal(tail, Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void Finds_an_event_split_across_segments()
    {
        var first = new Segment(Encoding.UTF8.GetBytes("data: hel"));
        var last = first.Append(Encoding.UTF8.GetBytes("lo\n"));
        var end = last.Append(Encoding.UTF8.GetBytes("\ndata: next"));
        var buffer = new ReadOnlySequence<byte>(first, 0, end, end.Memory.Length);

        Assert.True(SseFraming.TryReadEvent(ref buffer, out var evt));
        Assert.Equal("hello", Encoding.UTF8.GetString(SseFraming.DataPayload(evt.ToArray())));
        Assert.Equal("data: next", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
