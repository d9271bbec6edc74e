using System.Runtime.InteropServices;
using System.Text.Json;
using Shardgate.Contract;

namespace Shardgate.Routing;

/// <summary>
/// Hashes a request's prompt at each message boundary, over the raw bytes the host will render (tools first, then
/// messages), with two seeded <see cref="HashCode"/>s for 64 bits. <see cref="HashCode"/> is vectorized and, being
/// randomized per process, fine for an in-memory map.
/// </summary>
internal static class PrefixHasher
{
    public static AffinityKeys Keys(ContractContext context)
    {
        ulong? explicitKey = context.AffinityKey is { } key ? Hash(context.Profile.ModelId + "\n" + key) : null;
        var messages = context.Messages?.Messages;
        if (messages is null || messages.Count < 2)
        {
            return new AffinityKeys(explicitKey, []);
        }

        var low = new HashCode();
        var high = new HashCode();
        high.Add(0x5348415244L);
        Add(ref low, ref high, context.Profile.ModelId);
        if (context.Fields.TryGetOriginal("tools", out var tools))
        {
            Add(ref low, ref high, JsonMarshal.GetRawUtf8Value(tools));
        }

        // Every boundary, the whole prompt included: lookups try the longest first, and the next turn of the
        // conversation starts with this whole prompt.
        var prefixes = new ulong[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            Add(ref low, ref high, JsonMarshal.GetRawUtf8Value(messages[i].Original));
            prefixes[i] = Combine(low, high);
        }

        return new AffinityKeys(explicitKey, prefixes);
    }

    private static void Add(ref HashCode low, ref HashCode high, ReadOnlySpan<byte> bytes)
    {
        low.AddBytes(bytes);
        high.AddBytes(bytes);
        high.Add(bytes.Length);
    }

    private static void Add(ref HashCode low, ref HashCode high, string text)
    {
        low.Add(text, StringComparer.Ordinal);
        high.Add(text.Length);
        high.Add(text, StringComparer.Ordinal);
    }

    private static ulong Combine(HashCode low, HashCode high) => ((ulong)(uint)low.ToHashCode() << 32) | (uint)high.ToHashCode();

    private static ulong Hash(string text)
    {
        var low = new HashCode();
        var high = new HashCode();
        high.Add(1);
        Add(ref low, ref high, text);
        return Combine(low, high);
    }
}
