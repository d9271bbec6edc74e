namespace Shardgate.Api.Admin;

// Wire shapes of GET /admin/v1/stats, /models and /spend. Grouped in one file because each is a flat record
// of the same report.

/// <summary>
/// The request log over a window, per model and per node, with a time series. <c>Truncated</c> says the window held
/// more rows than one report reads (its oldest rows are then left out); <c>Rows</c> says how many were read.
/// </summary>
internal sealed record StatsResponse(
    string Window,
    DateTimeOffset From,
    DateTimeOffset To,
    int Rows,
    bool Truncated,
    StatsFigures Totals,
    IReadOnlyList<StatsGroup> Models,
    IReadOnlyList<StatsGroup> Nodes,
    IReadOnlyList<StatsArm> Arms,
    IReadOnlyList<StatsBucket> Series);

/// <summary>Requests that named a catalog alias, by the model that served them: a rollout's arms to compare.</summary>
internal sealed record StatsArm(string Alias, string Model, StatsFigures Figures);

/// <summary>
/// Requests (all rows), served (a host answered), errors (every status of 400 or more), saturated (429s), tokens,
/// cost in ngonka, first-token percentiles over the served requests and output tokens per second of generation
/// (streamed answers only: after their first token).
/// </summary>
internal sealed record StatsFigures(
    long Requests,
    long Served,
    long Errors,
    long Saturated,
    long InputTokens,
    long OutputTokens,
    long Cost,
    double? FirstTokenP50Ms,
    double? FirstTokenP95Ms,
    double? OutputTokensPerSecond,
    IReadOnlyDictionary<string, long> ErrorsByKind);

internal sealed record StatsGroup(string Id, StatsFigures Figures);

internal sealed record StatsBucket(DateTimeOffset Start, long Requests, long Errors, long OutputTokens, long Cost);

/// <summary>A served model as the operator sees it: where it runs, what it costs, what leads to it.</summary>
internal sealed record AdminModelResponse(
    string Id,
    string Family,
    int? ContextWindow,
    int? MaxOutputTokens,
    long InputPerToken,
    long OutputPerToken,
    IReadOnlyList<string> Hosts,
    int HealthyHosts,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<AdminFallbackResponse> Fallbacks);

/// <summary>A fallback alias that includes the model, with its whole chain in order.</summary>
internal sealed record AdminFallbackResponse(string Alias, IReadOnlyList<string> Chain);

/// <summary>Spend grouped by <c>By</c>; a dimension not grouped by is null in every row.</summary>
internal sealed record SpendResponse(IReadOnlyList<string> By, DateTimeOffset? From, IReadOnlyList<SpendEntry> Data, SpendEntry Totals);

internal sealed record SpendEntry(string? Model, long? AccountId, string? Date, long Requests, long InputTokens, long OutputTokens, long Cost);
