namespace Shardgate.Observability;

/// <summary>What one finished chat request contributes to the metrics; the token counts are the ones its log row holds.</summary>
internal readonly record struct RequestMeasurement(
    string Model,
    int Status,
    string Outcome,
    bool Served,
    bool Stream,
    double DurationSeconds,
    double? TimeToFirstTokenSeconds,
    long? InputTokens,
    long? OutputTokens,
    string? Alias = null,
    long? Cost = null);
