using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Shardgate.Contract;

namespace Shardgate.Routing;

/// <summary>
/// Hashes a request's prompt at each message boundary, over the raw bytes the host will render (tools first, then
/// messages), with XXH3 (64 bits, vectorized). The hash is the same in every process, so replicas that never talk
/// agree on where a prompt belongs (<see cref="Rendezvous"/>).
/// </summary>
internal static class PrefixHasher
{
    // One hasher per thread: XXH3's state is half a kilobyte, and a request hashes on one thread without awaiting.
    [ThreadStatic]
    private static XxHash3? _hasher;

    public static AffinityKeys Keys(ContractContext context)
    {
        ulong? explicitKey = context.AffinityKey is { } key ? Hash(context.Profile.ModelId + "\n" + key) : null;
        var messages = context.Messages?.Messages;
        if (messages is null || messages.Count < 2)
        {
            return new AffinityKeys(explicitKey, []);
        }

        var hasher = _hasher ??= new XxHash3();
        hasher.Reset();
        var model = context.Profile.ModelId;
        var maxBytes = Encoding.UTF8.GetMaxByteCount(model.Length);
        Span<byte> modelBytes = maxBytes <= 512 ? stackalloc byte[512] : new byte[maxBytes];
        Append(hasher, modelBytes[..Encoding.UTF8.GetBytes(model, modelBytes)]);
        if (context.Fields.TryGetOriginal("tools", out var tools))
        {
            Append(hasher, JsonMarshal.GetRawUtf8Value(tools));
        }

        // Every boundary from the second message on, the whole prompt included: lookups try the longest first, and
        // the next turn of the conversation starts with this whole prompt. The first message alone is no key: a
        // system prompt that many conversations share would pull all of them to one host.
        Append(hasher, JsonMarshal.GetRawUtf8Value(messages[0].Original));
        var prefixes = new ulong[messages.Count - 1];
        for (var i = 1; i < messages.Count; i++)
        {
            Append(hasher, JsonMarshal.GetRawUtf8Value(messages[i].Original));
            prefixes[i - 1] = hasher.GetCurrentHashAsUInt64();
        }

        return new AffinityKeys(explicitKey, prefixes);
    }

    // Stable across processes, as the prefixes are: an explicit cache key's home is the same on every replica.
    private static ulong Hash(string text) => XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(text));

    // The length goes in after the bytes, so ["ab", "c"] and ["a", "bc"] differ.
    private static void Append(XxHash3 hasher, ReadOnlySpan<byte> bytes)
    {
        hasher.Append(bytes);
        Span<byte> length = stackalloc byte[4];
        MemoryMarshal.Write(length, bytes.Length);
        hasher.Append(length);
    }
}
