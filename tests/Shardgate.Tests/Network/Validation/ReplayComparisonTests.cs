using Shardgate.Contract.Response;
using Shardgate.Network.Validation;

namespace Shardgate.Tests.Network.Validation;

public sealed class ReplayComparisonTests
{
    private static TokenLogprob[] Tokens(string text, params double[] logprobs) =>
        [.. text.Split(' ').Select((t, i) => new TokenLogprob(t, logprobs[i]))];

    public static TheoryData<string, double[], string, double[], double, double, bool> Cases => new()
    {
        // original, its logprobs, replay, its logprobs, agreement, mean |diff|, divergent (threshold 0.05, agreement 0.98)
        { "a b c d", [-0.1, -0.2, -0.3, -0.4], "a b c d", [-0.1, -0.2, -0.3, -0.4], 1.0, 0.0, false },
        { "a b c d", [-0.1, -0.2, -0.3, -0.4], "a b c d", [-0.12, -0.18, -0.33, -0.41], 1.0, 0.02, false },
        { "a b c d", [-0.1, -0.2, -0.3, -0.4], "a b c d", [-0.3, -0.4, -0.1, -0.2], 1.0, 0.2, true },
        { "a b c d", [-0.1, -0.2, -0.3, -0.4], "a x c d", [-0.1, -0.2, -0.3, -0.4], 0.75, 0.0, true },
        { "a b c d", [-0.1, -0.2, -0.3, -0.4], "a b", [-0.1, -0.2], 0.5, 0.0, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Agreement_and_the_mean_difference_decide_divergence(string original, double[] a, string replay, double[] b, double agreement, double diff, bool divergent)
    {
        var verdict = ReplayComparison.Compare(Tokens(original, a), Tokens(replay, b), 0.05, 0.98, minPositions: 1);

        Assert.Equal(agreement, verdict.Agreement, 6);
        Assert.Equal(diff, verdict.MeanAbsDiff, 6);
        Assert.Equal(divergent, verdict.Divergent);
    }

    [Fact]
    public void A_short_answer_is_averaged_over_at_least_the_minimum_positions()
    {
        var verdict = ReplayComparison.Compare(Tokens("a b", -0.1, -0.2), Tokens("a b", -0.3, -0.4), 0.05, 0.98);

        Assert.Equal(0.4 / ReplayComparison.DefaultMinPositions, verdict.MeanAbsDiff, 9);
        Assert.False(verdict.Divergent);
    }
}
