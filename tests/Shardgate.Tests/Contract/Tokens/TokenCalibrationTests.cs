using Shardgate.Contract.Tokens;

namespace Shardgate.Tests.Contract.Tokens;

public sealed class TokenCalibrationTests
{
    [Fact]
    public void The_factor_starts_at_the_configured_value_and_the_margin_bounds_the_estimate()
    {
        var calibration = new TokenCalibration(new TokenCountOptions { Factors = new(StringComparer.OrdinalIgnoreCase) { ["qwen"] = 1.1 }, Margin = 0.1 });

        Assert.Equal(new PromptTokens(1000, 1100, 1210, 990), calibration.Correct("qwen", 1000));
        Assert.Equal(new PromptTokens(1000, 1000, 1100, 900), calibration.Correct("kimi", 1000));
    }

    [Fact]
    public void Hosts_usage_moves_the_factor_to_their_ratio_and_the_error_falls()
    {
        var calibration = new TokenCalibration(new TokenCountOptions());
        for (var i = 0; i < 200; i++)
        {
            calibration.Observe("minimax", 1000, 1250);
        }

        var view = Assert.Single(calibration.Views());
        Assert.Equal(("minimax", 200L), (view.Key, view.Samples));
        Assert.Equal(1.25, view.Factor, 3);
        Assert.True(view.MeanError < 0.01, $"error {view.MeanError}");
        Assert.Equal(1250, calibration.Correct("minimax", 1000).Estimate);
    }

    [Theory]
    [InlineData(100, 10_000, 2.0)]
    [InlineData(1000, 40, 0.5)]
    public void A_host_reporting_nonsense_moves_the_factor_no_further_than_its_bounds(int counted, int reported, double bound)
    {
        var calibration = new TokenCalibration(new TokenCountOptions());
        for (var i = 0; i < 100; i++)
        {
            calibration.Observe("qwen", counted, reported);
        }

        Assert.Equal(bound, Assert.Single(calibration.Views()).Factor);
    }

    [Theory]
    [InlineData(10, 500)]
    [InlineData(1000, 0)]
    public void Short_prompts_and_answers_without_usage_teach_nothing(int counted, int reported)
    {
        var calibration = new TokenCalibration(new TokenCountOptions());
        calibration.Observe("qwen", counted, reported);

        Assert.Equal(1000, calibration.Correct("qwen", 1000).Estimate);
        Assert.Equal(0, Assert.Single(calibration.Views()).Samples);
    }
}
