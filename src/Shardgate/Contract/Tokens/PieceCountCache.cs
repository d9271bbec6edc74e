using System.Collections.Concurrent;

namespace Shardgate.Contract.Tokens;

/// <summary>
/// Token counts of short pre-tokens (words, numbers, punctuation runs), looked up by span without allocating. Text
/// repeats its pieces so much that a few tens of thousands cover a language; bounded, it is emptied when full.
/// </summary>
internal sealed class PieceCountCache
{
    /// <summary>Pieces longer than this are counted each time: rare, and they would crowd out the common ones.</summary>
    public const int MaxPieceLength = 32;

    private const int MaxPieces = 131_072;

    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public PieceCountCache() => _lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool TryGet(ReadOnlySpan<char> piece, out int count) => _lookup.TryGetValue(piece, out count);

    public void Add(ReadOnlySpan<char> piece, int count)
    {
        if (_counts.Count >= MaxPieces)
        {
            _counts.Clear();
        }

        _lookup.TryAdd(piece, count);
    }
}
