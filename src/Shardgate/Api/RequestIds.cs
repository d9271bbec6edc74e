using System.Globalization;
using System.Security.Cryptography;

namespace Shardgate.Api;

/// <summary>
/// Request ids: <c>req_</c>, the start time in milliseconds, a per-process counter and random bits, all hex. They
/// sort by time, and within one replica strictly in creation order, which keyset paging of the log relies on
/// (UUIDv7 does not order ids created in the same millisecond).
/// </summary>
internal static class RequestIds
{
    public const string Header = "X-Request-Id";

    private static long _sequence;

    public static string New(DateTimeOffset now)
    {
        var sequence = (uint)Interlocked.Increment(ref _sequence);
        Span<byte> random = stackalloc byte[6];
        RandomNumberGenerator.Fill(random);
        return string.Create(CultureInfo.InvariantCulture, $"req_{now.ToUnixTimeMilliseconds():x12}{sequence:x8}{Convert.ToHexStringLower(random)}");
    }
}
