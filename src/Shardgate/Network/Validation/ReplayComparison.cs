using Shardgate.Contract.Response;
namespace Shardgate.Network.Validation;

/// <summary>
/// Compares an original answer's tokens with a replay of them on another host. Positions are aligned one to one;
/// positions one side lacks count as disagreeing (a replay shorter than the original is the network's
/// <c>DifferentLength</c>). The log-probability difference is summed over positions whose tokens agree and divided
/// by at least <paramref name="minPositions"/>: a short answer is thin evidence either way, which the network's own
/// similarity handles alike by dividing by max(100, positions) (reference §5.7).
/// </summary>
internal static class ReplayComparison
{
    public const int DefaultMinPositions = 16;

    public static ReplayVerdict Compare(IReadOnlyList<TokenLogprob> original, IReadOnlyList<TokenLogprob> replay, double threshold, double minAgreement, int minPositions = DefaultMinPositions)
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
        var mean = agreeing == 0 ? 0 : diff / Math.Max(agreeing, minPositions);
        return new ReplayVerdict(positions, agreement, mean, agreement < minAgreement || mean > threshold);
    }
}
