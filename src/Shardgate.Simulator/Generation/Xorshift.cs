namespace Shardgate.Simulator.Generation;

/// <summary>A tiny deterministic generator; <see cref="Random"/> with a seed is not guaranteed stable across runtimes.</summary>
internal struct Xorshift(ulong seed)
{
    private ulong _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;

    public ulong Next()
    {
        _state ^= _state << 13;
        _state ^= _state >> 7;
        _state ^= _state << 17;
        return _state;
    }

    public int Next(int maxExclusive) => (int)(Next() % (ulong)maxExclusive);
}
