using System.Globalization;

namespace Shardgate.Cli;

/// <summary>A look-back such as <c>90s</c>, <c>30m</c>, <c>24h</c> or <c>7d</c>, as <c>--since</c> takes it.</summary>
internal static class Since
{
    public static TimeSpan Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && long.TryParse(trimmed[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (trimmed[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }

        throw new CliUsageException($"--since must be a positive count of s, m, h or d (for example 30m or 24h); got '{text}'");
    }
}
