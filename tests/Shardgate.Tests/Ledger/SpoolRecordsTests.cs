using System.Text.Json;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Storage;

namespace Shardgate.Tests.Ledger;

public sealed class SpoolRecordsTests
{
    private static readonly RequestLogEntry Full = new()
    {
        RequestId = "req_1",
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123),
        KeyId = 3,
        AccountId = 7,
        Model = "moonshotai/Kimi-K2.6",
        NodeId = "n1",
        Stream = true,
        Status = 200,
        Outcome = RequestOutcome.Completed,
        PromptTokens = 12,
        CompletionTokens = 34,
        TimeToFirstTokenMs = 0.1 + 0.2,
        DurationMs = 1234.5678,
        Attempts = 2,
        Error = "ünïcode \"quoted\"",
        Reserved = 9_000_000_000_000_000_000,
        Cost = 123_456_789_012,
        Shortfall = 1,
    };

    private static readonly RequestLogEntry Bare = new() { RequestId = "req_2", StartedAt = DateTimeOffset.UnixEpoch, Status = 429, Outcome = RequestOutcome.Rejected, DurationMs = 0 };

    [Fact]
    public void Records_read_back_exactly_as_written()
    {
        var bytes = Encode(Full, Bare);

        var read = SpoolRecords.Read(bytes, out var torn);

        Assert.Equal([Full, Bare], read);
        Assert.False(torn);
    }

    // What a crash or a bad disk can leave after two good records, and what must still read back.
    [Theory]
    [InlineData("cut in the header", 3)]
    [InlineData("cut in the payload", 20)]
    [InlineData("a length beyond the file", -1)]
    [InlineData("a checksum that does not match", -2)]
    [InlineData("a zero length", -3)]
    public void A_damaged_tail_ends_the_readable_part_and_the_records_before_it_are_kept(string damage, int how)
    {
        var good = Encode(Full, Bare);
        var third = Encode(Full with { RequestId = "req_3" });
        byte[] tail = how switch
        {
            -1 => [.. BitConverter.GetBytes(1_000_000), .. third.AsSpan(4)],
            -2 => [.. third[..^1], (byte)(third[^1] ^ 0xFF)],
            -3 => new byte[16],
            _ => third[..how],
        };

        var read = SpoolRecords.Read([.. good, .. tail], out var torn);

        Assert.True(torn, damage);
        Assert.Equal([Full, Bare], read);
    }

    private static byte[] Encode(params RequestLogEntry[] entries)
    {
        using var output = new PooledBufferWriter();
        using var scratch = new PooledBufferWriter();
        using var json = new Utf8JsonWriter(scratch);
        foreach (var entry in entries)
        {
            SpoolRecords.Write(entry, output, scratch, json);
        }

        return output.WrittenSpan.ToArray();
    }
}
