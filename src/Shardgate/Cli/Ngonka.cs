using System.Globalization;

namespace Shardgate.Cli;

/// <summary>
/// An amount on the command line: an integer of ngonka, or of GNK with the suffix <c>gnk</c> (1 GNK = 10^9 ngonka).
/// Parsed as integers only, so a credit is never rounded.
/// </summary>
internal static class Ngonka
{
    public const long PerGnk = 1_000_000_000;

    public static long Parse(string text, string option)
    {
        var trimmed = text.Trim();
        var gnk = trimmed.EndsWith("gnk", StringComparison.OrdinalIgnoreCase);
        var digits = gnk ? trimmed[..^3].TrimEnd() : trimmed.EndsWith("ngonka", StringComparison.OrdinalIgnoreCase) ? trimmed[..^6].TrimEnd() : trimmed;
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0
            || (gnk && amount > long.MaxValue / PerGnk))
        {
            throw new CliUsageException($"{option} must be a positive whole number of ngonka, or of GNK with the suffix gnk (for example 5000 or 10gnk); got '{text}'");
        }

        return gnk ? amount * PerGnk : amount;
    }
}
