using System.Globalization;
using System.Text.RegularExpressions;

namespace Shardgate.Upstream;

/// <summary>
/// A host's "context too long" refusal, read from vLLM's message, which states the host's window and the tokens the
/// request really needs: the exact count the gateway's estimate could only approximate.
/// </summary>
internal sealed partial record ContextRefusal(string Message, long? Window, long? Requested)
{
    public static ContextRefusal? From(string message)
    {
        if (!message.Contains("maximum context length", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var window = WindowPattern().Match(message);
        var requested = RequestedPattern().Match(message);
        return new ContextRefusal(
            message,
            window.Success ? long.Parse(window.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null,
            requested.Success ? long.Parse(requested.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null);
    }

    /// <summary>The least window a host needs to take the request next time.</summary>
    public long NextMinimum(long fallback) => Requested ?? (Window is { } w ? w + 1 : fallback);

    [GeneratedRegex(@"maximum context length is (\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex WindowPattern();

    // "However, you requested 9000 tokens" or, in newer vLLM, "your request has 9000 input tokens".
    [GeneratedRegex(@"(?:requested|has) (\d+)(?: input)? tokens", RegexOptions.IgnoreCase)]
    private static partial Regex RequestedPattern();
}
