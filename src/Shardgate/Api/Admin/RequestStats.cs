using Shardgate.Kernel;
using Shardgate.Ledger;

namespace Shardgate.Api.Admin;

/// <summary>
/// Folds request-log rows into the figures the dashboard and the CLI show. The rows are the same ones
/// <c>/admin/v1/requests</c> and <c>/admin/v1/usage</c> read, so every view agrees with the ledger.
/// </summary>
internal static class RequestStats
{
    public static StatsResponse Summarize(string window, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, IReadOnlyList<RequestLogEntry> rows, bool truncated)
    {
        var series = new List<StatsBucket>();
        for (var start = from; start < to; start += bucket)
        {
            var end = start + bucket;
            var inBucket = rows.Where(r => r.StartedAt >= start && r.StartedAt < end).ToList();
            series.Add(new StatsBucket(start, inBucket.Count, inBucket.Count(IsError), inBucket.Sum(r => (long)(r.CompletionTokens ?? 0)), inBucket.Sum(r => r.Cost ?? 0)));
        }

        return new StatsResponse(
            window,
            from,
            to,
            rows.Count,
            truncated,
            Figures(rows),
            Groups(rows, r => r.Model),
            Groups(rows, r => r.NodeId),
            [.. rows.Where(r => r.Alias is not null && r.Model is not null)
                .GroupBy(r => (Alias: r.Alias!.ToLowerInvariant(), Model: r.Model!))
                .OrderBy(g => g.Key.Alias, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
                .Select(g => new StatsArm(g.Key.Alias, g.Key.Model, Figures([.. g])))],
            series);
    }

    public static StatsFigures Figures(IReadOnlyCollection<RequestLogEntry> rows)
    {
        var firstTokens = rows.Where(r => r.TimeToFirstTokenMs is not null && Served(r)).Select(r => r.TimeToFirstTokenMs!.Value).Order().ToList();
        long generated = 0;
        double generatingMs = 0;
        foreach (var r in rows)
        {
            // Generation time is what follows the first token of a stream. A whole answer's "first token" is the
            // answer itself, so non-streamed rows would divide by almost nothing; they are left out.
            if (r.Stream && r.CompletionTokens is > 0 && r.TimeToFirstTokenMs is { } ttft && r.DurationMs > ttft)
            {
                generated += r.CompletionTokens.Value;
                generatingMs += r.DurationMs - ttft;
            }
        }

        return new StatsFigures(
            rows.Count,
            rows.Count(Served),
            rows.Count(IsError),
            rows.Count(r => r.Status == 429),
            rows.Sum(r => (long)(r.PromptTokens ?? 0)),
            rows.Sum(r => (long)(r.CompletionTokens ?? 0)),
            rows.Sum(r => r.Cost ?? 0),
            Percentile(firstTokens, 0.50),
            Percentile(firstTokens, 0.95),
            generatingMs > 0 ? Math.Round(generated / (generatingMs / 1000), 1) : null,
            rows.Where(IsError).GroupBy(Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal));
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="q"/> of the values at or below it.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)], 1);

    private static List<StatsGroup> Groups(IReadOnlyList<RequestLogEntry> rows, Func<RequestLogEntry, string?> key) =>
        [.. rows.Where(r => key(r) is not null)
            .GroupBy(r => key(r)!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new StatsGroup(g.Key, Figures([.. g])))];

    private static bool Served(RequestLogEntry r) => r.Outcome is RequestOutcome.Completed or RequestOutcome.Incomplete || (r.Outcome == RequestOutcome.ClientDisconnected && r.NodeId is not null);

    private static bool IsError(RequestLogEntry r) => r.Status >= 400;

    /// <summary>Outcome and status (<c>saturated/429</c>, <c>rejected/402</c>, <c>upstream_failed/502</c>): stable across rows, unlike the message.</summary>
    private static string Kind(RequestLogEntry r) => $"{r.Outcome}/{r.Status}";
}
