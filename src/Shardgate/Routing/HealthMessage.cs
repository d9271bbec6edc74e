using System.Globalization;

namespace Shardgate.Routing;

/// <summary>
/// A host's health state as one line for the other replicas: node, status, the end of its rest (Unix ms, empty when
/// none), strikes, successes and the reason, tab-separated (node ids hold no tabs; the reason comes last and may).
/// </summary>
internal static class HealthMessage
{
    public static string Write(HostHealthState state) => string.Join(
        '\t',
        state.NodeId,
        state.Status.ToString(),
        state.Until?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        state.Strikes.ToString(CultureInfo.InvariantCulture),
        state.Successes.ToString(CultureInfo.InvariantCulture),
        state.Reason ?? string.Empty);

    /// <summary>The state, or null for a line this version cannot read (a newer replica's, a corrupt one).</summary>
    public static HostHealthState? Read(string message)
    {
        var parts = message.Split('\t', 6);
        if (parts.Length != 6
            || !Enum.TryParse<HealthStatus>(parts[1], out var status)
            || !int.TryParse(parts[3], CultureInfo.InvariantCulture, out var strikes)
            || !int.TryParse(parts[4], CultureInfo.InvariantCulture, out var successes))
        {
            return null;
        }

        DateTimeOffset? until = null;
        if (parts[2].Length > 0)
        {
            if (!long.TryParse(parts[2], CultureInfo.InvariantCulture, out var ms))
            {
                return null;
            }

            until = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        return new HostHealthState(parts[0], status, until, strikes, successes, parts[5].Length == 0 ? null : parts[5]);
    }
}
