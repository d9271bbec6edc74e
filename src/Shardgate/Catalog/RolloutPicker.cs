using System.IO.Hashing;
using System.Text;

namespace Shardgate.Catalog;

/// <summary>
/// Picks a weighted alias's arm for a caller, with no state, so every replica picks the same arm for the same
/// caller for as long as the weights stay. A caller is its request's <c>user</c> when set, else its API key.
/// <para>
/// API key ids are consecutive integers, so they are spread by a Weyl sequence (the key id times the golden ratio,
/// modulo 1, offset per alias): consecutive keys land evenly over [0, 1), and 100 keys split 90/10 within a key or
/// two of 10, where a hash would miss by about 3 keys (one standard deviation) as often as not. <c>user</c> values
/// are arbitrary strings and are hashed.
/// </para>
/// </summary>
internal static class RolloutPicker
{
    private const double GoldenRatioFraction = 0.6180339887498949;

    public static CatalogArm Pick(string alias, IReadOnlyList<CatalogArm> arms, long? keyId, string? user)
    {
        if (arms.Count == 1)
        {
            return arms[0];
        }

        var aliasOffset = Unit(XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(alias.ToLowerInvariant())));
        var point = user is { Length: > 0 }
            ? Unit(XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(alias.ToLowerInvariant() + "\n" + user)))
            : Fraction(((keyId ?? 0) * GoldenRatioFraction) + aliasOffset);

        var total = arms.Sum(a => (long)a.Weight);
        var target = point * total;
        foreach (var arm in arms)
        {
            if (target < arm.Weight)
            {
                return arm;
            }

            target -= arm.Weight;
        }

        return arms[^1];
    }

    private static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    private static double Fraction(double x) => x - Math.Floor(x);
}
