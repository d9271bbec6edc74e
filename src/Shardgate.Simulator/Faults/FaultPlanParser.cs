using System.Globalization;

namespace Shardgate.Simulator.Faults;

/// <summary>Parses the fault grammar used by the <c>x-sim-fault</c> header, prompt directives and options.</summary>
internal static class FaultPlanParser
{
    public static bool TryParse(string? text, out FaultPlan plan, out string? error)
    {
        plan = FaultPlan.None;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        foreach (var raw in text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            var name = (eq < 0 ? raw : raw[..eq]).Trim().ToLowerInvariant();
            var value = eq < 0 ? null : raw[(eq + 1)..].Trim();
            switch (name)
            {
                case "none":
                    break;
                case "empty":
                case "empty-stream":
                    plan = plan with { EmptyStream = true };
                    break;
                case "status" when TryInt(value, 400, 599, out var status):
                    plan = plan with { Status = status };
                    break;
                case "drop-after" when TryInt(value, 0, int.MaxValue, out var drop):
                    plan = plan with { DropAfterChunks = drop };
                    break;
                case "stall-after" when TryInt(value, 0, int.MaxValue, out var stall):
                    plan = plan with { StallAfterChunks = stall };
                    break;
                case "slow-first-token" when TryInt(value, 0, 3_600_000, out var ms):
                    plan = plan with { ExtraFirstTokenDelay = TimeSpan.FromMilliseconds(ms) };
                    break;
                case "wrong-model":
                    plan = plan with { WrongModel = true };
                    break;
                case "hold":
                    plan = plan with { HoldUntilReleased = true };
                    break;
                case "slow-end" when TryInt(value, 0, 3_600_000, out var end):
                    plan = plan with { SlowEnd = TimeSpan.FromMilliseconds(end) };
                    break;
                default:
                    error = $"unknown or malformed fault '{raw}'; expected status=4xx|5xx, drop-after=N, stall-after=N, slow-first-token=MS, slow-end=MS, hold, empty or wrong-model";
                    plan = FaultPlan.None;
                    return false;
            }
        }

        return true;
    }

    private static bool TryInt(string? value, int min, int max, out int result) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;
}
