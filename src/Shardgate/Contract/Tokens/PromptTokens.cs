namespace Shardgate.Contract.Tokens;

/// <summary>
/// A prompt's size in tokens as the gateway knows it before a host counts: <see cref="Counted"/> by the tokenizer,
/// <see cref="Estimate"/> corrected toward what hosts report (routing, admission, billing without usage,
/// <c>count_tokens</c>), and the bounds the margin puts around it (<see cref="Upper"/> for reservations,
/// <see cref="Lower"/> for refusing a prompt no host can hold).
/// </summary>
internal readonly record struct PromptTokens(int Counted, int Estimate, int Upper, int Lower)
{
    public static PromptTokens Corrected(int counted, double factor, double margin)
    {
        var estimate = (int)Math.Min(int.MaxValue, Math.Ceiling(counted * factor));
        return new PromptTokens(
            counted,
            estimate,
            (int)Math.Min(int.MaxValue, Math.Ceiling(estimate * (1 + margin))),
            (int)Math.Floor(estimate * (1 - margin)));
    }
}
