using Shardgate.Network;

namespace Shardgate.Routing;

/// <summary>
/// Highest-random-weight (rendezvous) hashing: the host a prompt belongs to is the one whose hash mixed with the
/// prompt's scores highest. Every replica computes the same answer from the same request and host list, with no
/// shared memory, and adding or removing a host moves only the prompts that scored highest on it.
/// </summary>
internal static class Rendezvous
{
    /// <summary>
    /// The conversation's home among <paramref name="hosts"/>, or null when the request has nothing stable to hash.
    /// The key is the explicit cache key, else the shortest prefix (through the first turn): the same for every later
    /// turn of the conversation.
    /// </summary>
    public static string? Home(AffinityKeys keys, IReadOnlyList<UpstreamHost> hosts)
    {
        ulong? key = keys.Explicit ?? (keys.Prefixes.Count > 0 ? keys.Prefixes[0] : null);
        if (key is not { } k || hosts.Count == 0)
        {
            return null;
        }

        UpstreamHost? best = null;
        var bestScore = 0UL;
        foreach (var host in hosts)
        {
            var score = Mix(k ^ host.StableHash);
            if (best is null || score > bestScore)
            {
                (best, bestScore) = (host, score);
            }
        }

        return best!.NodeId;
    }

    // SplitMix64's finalizer: every input bit moves every output bit, so close keys score independently.
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
