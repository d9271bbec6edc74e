namespace Shardgate.Admission;

/// <summary>The limiter's answer: admitted, or which limit refused and when to try again.</summary>
internal readonly record struct RateDecision(bool Allowed, int Status, string? Code, string? Message, TimeSpan RetryAfter)
{
    public static RateDecision Admit { get; } = new(true, 200, null, null, TimeSpan.Zero);
}
