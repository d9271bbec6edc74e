using System.Text;

namespace Shardgate.Simulator.Generation;

/// <summary>FNV-1a, 64 bit: stable across processes (unlike <see cref="string.GetHashCode()"/>), so seeds repeat.</summary>
internal static class Fnv1a
{
    public const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Append(ulong hash, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }

    public static ulong Append(ulong hash, string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        var chars = text.AsSpan();
        while (!chars.IsEmpty)
        {
            var take = Math.Min(chars.Length, 64);
            var written = Encoding.UTF8.GetBytes(chars[..take], buffer);
            hash = Append(hash, buffer[..written]);
            chars = chars[take..];
        }

        return Append(hash, [0]);
    }

    public static ulong Append(ulong hash, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BitConverter.TryWriteBytes(bytes, value);
        return Append(hash, bytes);
    }
}
