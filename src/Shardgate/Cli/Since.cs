using Shardgate.Kernel;

namespace Shardgate.Cli;

/// <summary><c>--since</c>: a <see cref="LookBack"/>, or a usage error that shows the form.</summary>
internal static class Since
{
    public static TimeSpan Parse(string text) =>
        LookBack.TryParse(text, out var span)
            ? span
            : throw new CliUsageException($"--since must be a positive count of s, m, h or d (for example 30m or 24h); got '{text}'");
}
