namespace Shardgate.Ledger;

/// <summary>
/// A filter over the request log. Paging is by keyset: <see cref="Before"/> is the last request id of the previous
/// page, so deep pages cost the same as the first (request ids sort by time).
/// </summary>
internal sealed record RequestLogQuery(
    long? KeyId,
    long? AccountId,
    string? NodeId,
    string? Model,
    int? Status,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? Before,
    int Limit)
{
    /// <summary>Only rows that came through this API path (<see cref="Contract.ApiEndpoints"/>).</summary>
    public string? Endpoint { get; init; }
}
