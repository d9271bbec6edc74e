using Shardgate.Routing;

namespace Shardgate.Tests.Routing;

public sealed class HedgeBudgetTests
{
    [Theory]
    // fraction, burst, requests → hedges allowed when every request asks for one
    [InlineData(0.1, 0, 100, 10)]
    [InlineData(0.1, 5, 100, 14)]
    [InlineData(0.5, 0, 10, 5)]
    [InlineData(0.0, 0, 50, 0)]
    [InlineData(0.0, 3, 50, 3)]
    [InlineData(1.0, 0, 20, 20)]
    public void Hedges_never_exceed_the_fraction_of_requests_plus_the_burst(double fraction, int burst, int requests, int expected)
    {
        var budget = new HedgeBudget(new HedgingOptions { BudgetFraction = fraction, BudgetBurst = burst });
        var hedges = 0;
        for (var i = 0; i < requests; i++)
        {
            budget.OnRequest();
            hedges += budget.TryTake() ? 1 : 0;
        }

        Assert.Equal(expected, hedges);
    }

    [Fact]
    public void Credits_stop_accruing_at_the_burst_so_a_quiet_spell_does_not_bank_a_storm()
    {
        var budget = new HedgeBudget(new HedgingOptions { BudgetFraction = 0.5, BudgetBurst = 2 });
        for (var i = 0; i < 1000; i++)
        {
            budget.OnRequest();
        }

        Assert.True(budget.TryTake());
        Assert.True(budget.TryTake());
        Assert.False(budget.TryTake());
    }

    [Fact]
    public void A_refunded_hedge_can_be_taken_again()
    {
        var budget = new HedgeBudget(new HedgingOptions { BudgetFraction = 0, BudgetBurst = 1 });
        Assert.True(budget.TryTake());
        Assert.False(budget.TryTake());
        budget.Refund();
        Assert.True(budget.TryTake());
    }
}
