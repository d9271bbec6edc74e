namespace Shardgate.Simulator.Generation;

/// <summary>
/// The simulated model's log probability of a token at a position. The model's value depends on the token alone; an
/// honest host adds the drift real GPUs show between kernels and batch shapes (within ±0.004 on most positions, and on
/// 2 % of them a near-tie that moves it by 0.05–0.3); a host running another model (the <c>wrong-model</c> fault)
/// returns that model's values, so its text reads the same and its log probabilities do not.
/// </summary>
internal readonly record struct LogprobModel(bool WrongModel, ulong NoiseSeed, double NoiseScale)
{
    private const ulong OtherModel = 0x6F74686572UL;

    public static LogprobModel Exact { get; } = new(false, 0, 0);

    public double Of(string token, int position)
    {
        var hash = Fnv1a.Append(WrongModel ? Fnv1a.Append(Fnv1a.Offset, (long)OtherModel) : Fnv1a.Offset, token);
        var value = -0.01 * (1 + (long)(hash % 50));
        if (NoiseScale <= 0)
        {
            return value;
        }

        var rng = new Xorshift(Fnv1a.Append(Fnv1a.Append(NoiseSeed, token), position));
        var drift = (Unit(ref rng) * 2 - 1) * 0.004;
        if (rng.Next(1000) < 20)
        {
            drift += (0.05 + Unit(ref rng) * 0.25) * (rng.Next(2) == 0 ? -1 : 1);
        }

        return Math.Min(0, value + drift * NoiseScale);
    }

    private static double Unit(ref Xorshift rng) => (rng.Next() >> 11) * (1.0 / (1UL << 53));
}
