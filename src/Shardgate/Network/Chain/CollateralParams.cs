namespace Shardgate.Network.Chain;

/// <summary>
/// The chain's collateral rule (FAQ, reference §8): after the grace period a participant's active weight is the base
/// share of its weight plus the rest in proportion to the collateral it deposited against
/// <c>weight × (1 − base_weight_ratio) × collateral_per_weight_unit</c>; during the grace period, all of it.
/// </summary>
internal sealed record CollateralParams(double BaseWeightRatio, double CollateralPerWeightUnit, long GracePeriodEndEpoch)
{
    public long ActiveWeight(long weight, long collateral, long epoch)
    {
        if (epoch < GracePeriodEndEpoch || weight <= 0)
        {
            return weight;
        }

        var eligible = weight * (1 - BaseWeightRatio);
        var required = eligible * CollateralPerWeightUnit;
        var covered = required <= 0 ? 1 : Math.Min(1, collateral / required);
        return (long)Math.Floor((weight * BaseWeightRatio) + (eligible * covered));
    }
}
