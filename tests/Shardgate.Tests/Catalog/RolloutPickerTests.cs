using Shardgate.Catalog;

namespace Shardgate.Tests.Catalog;

public sealed class RolloutPickerTests
{
    private static readonly CatalogArm[] NinetyTen = [new("moonshotai/Kimi-K2.6", 90), new("moonshotai/Kimi-K3", 10)];

    [Theory]
    [InlineData(1)]
    [InlineData(1_000)]
    [InlineData(987_654)]
    public void A_90_10_split_over_100_consecutive_keys_lands_within_3_percent_and_each_key_keeps_its_arm(long firstKey)
    {
        var arms = new Dictionary<long, string>();
        for (var request = 0; request < 1_000; request++)
        {
            var key = firstKey + (request % 100);
            var arm = RolloutPicker.Pick("kimi-latest", NinetyTen, key, user: null).Model;
            Assert.Equal(arms.GetValueOrDefault(key, arm), arm);
            arms[key] = arm;
        }

        var share = arms.Values.Count(a => a == "moonshotai/Kimi-K3") / 100.0;
        Assert.InRange(share, 0.07, 0.13);
    }

    [Fact]
    public void A_user_keeps_its_arm_whatever_key_sends_it_and_users_spread_by_weight()
    {
        var picks = Enumerable.Range(0, 2_000).Select(u => RolloutPicker.Pick("kimi-latest", NinetyTen, keyId: u % 7, user: $"user-{u}").Model).ToList();

        Assert.All(Enumerable.Range(0, 50), u => Assert.Equal(picks[u], RolloutPicker.Pick("kimi-latest", NinetyTen, keyId: 99, user: $"user-{u}").Model));
        Assert.InRange(picks.Count(p => p == "moonshotai/Kimi-K3") / 2_000.0, 0.07, 0.13);
    }

    [Fact]
    public void A_zero_weight_arm_gets_nothing_and_one_arm_gets_everything()
    {
        CatalogArm[] ended = [new("a", 100), new("b", 0)];

        Assert.All(Enumerable.Range(1, 500), k => Assert.Equal("a", RolloutPicker.Pick("x", ended, k, null).Model));
        Assert.Equal("only", RolloutPicker.Pick("x", [new CatalogArm("only", 1)], 5, null).Model);
    }
}
