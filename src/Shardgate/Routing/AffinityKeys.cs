namespace Shardgate.Routing;

/// <summary>
/// What identifies a request's reusable prompt: an explicit key (<c>prompt_cache_key</c>, else <c>user</c>) and
/// the hashes of its prompt prefixes cut at message boundaries, shortest first (tools, system prompt and first turn,
/// then each later one). The last entry covers the whole prompt, which the next turn of the conversation will start
/// with. A prompt of one message has no prefixes.
/// </summary>
internal sealed record AffinityKeys(ulong? Explicit, IReadOnlyList<ulong> Prefixes)
{
    public static AffinityKeys None { get; } = new(null, []);
}
