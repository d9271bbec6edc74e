using System.Globalization;

namespace Shardgate.Kernel;

/// <summary>A look-back such as <c>90s</c>, <c>30m</c>, <c>24h</c> or <c>7d</c>, as the CLI's and the admin API's <c>since</c> take it.</summary>
internal static class LookBack
{
    public static bool TryParse(string text, out TimeSpan span)
    {
        span = default;
        var trimmed = text.Trim();
        if (trimmed.Length < 2 || !long.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 100_000)
        {
            return false;
        }

        TimeSpan? parsed = trimmed[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => null,
        };
        span = parsed ?? default;
        return parsed is not null;
    }
}
