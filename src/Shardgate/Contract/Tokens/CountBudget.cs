namespace Shardgate.Contract.Tokens;

/// <summary>
/// How many characters one count may still tokenize (<see cref="PromptCounter.MaxCountedChars"/>); what is past it
/// is skipped and estimated at the tokens per character of what was counted. One per count, passed by reference.
/// </summary>
internal struct CountBudget(long chars)
{
    private long _left = chars;
    private long _countedChars;
    private long _countedTokens;

    public long Skipped { get; private set; }

    public readonly long Extrapolated => Skipped == 0 || _countedChars == 0 ? 0 : (long)Math.Ceiling(Skipped * ((double)_countedTokens / _countedChars));

    /// <summary>The part of <paramref name="text"/> still within the budget; the rest is recorded as skipped.</summary>
    public ReadOnlySpan<char> Take(ReadOnlySpan<char> text)
    {
        var taken = (int)Math.Min(text.Length, Math.Max(0, _left));
        _left -= taken;
        _countedChars += taken;
        Skipped += text.Length - taken;
        return text[..taken];
    }

    public void Counted(int tokens) => _countedTokens += tokens;
}
