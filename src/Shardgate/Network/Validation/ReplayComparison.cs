using Shardgate.Contract.Response;
namespace Shardgate.Network.Validation;

/// <summary>
/// Compares an original answer's tokens with a replay of them on another host. Positions are aligned one to one;
/// positions one side lacks count as disagreeing (a replay shorter than the original is the network's
/// <c>DifferentLength</c>). The log-probability difference is taken over positions whose tokens agree.
/// </summary>
internal static class ReplayComparison
{
    public static ReplayVerdict Compare(IReadOnlyList<TokenLogprob> original, IReadOnlyList<TokenLogprob> replay, double threshold, double minAgreement)
    {
        var positions = Math.Max(original.Count, replay.Count);
        if (positions == 0)
        {
            return new ReplayVerdict(0, 1, 0, false);
        }

        var agreeing = 0;
        var diff = 0.0;
        for (var i = 0; i < Math.Min(original.Count, replay.Count); i++)
        {
            if (original[i].Token == replay[i].Token)
            {
                agreeing++;
                diff += Math.Abs(original[i].Logprob - replay[i].Logprob);
            }
        }

        var agreement = (double)agreeing / positions;
        var mean = agreeing == 0 ? 0 : diff / agreeing;
        return new ReplayVerdict(positions, agreement, mean, agreement < minAgreement || mean > threshold);
    }
}
