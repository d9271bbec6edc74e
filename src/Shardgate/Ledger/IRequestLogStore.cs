namespace Shardgate.Ledger;

/// <summary>The append-only request log.</summary>
internal interface IRequestLogStore
{
    /// <summary>Appends rows in one transaction: one commit for the whole batch.</summary>
    Task AppendAsync(IReadOnlyList<RequestLogEntry> entries, CancellationToken cancellationToken);

    Task<RequestLogEntry?> GetAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>Rows matching the filter, newest first, one page at a time.</summary>
    Task<IReadOnlyList<RequestLogEntry>> QueryAsync(RequestLogQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Totals per UTC day and model, newest day first: for one key, one account, or (both null) all; only requests
    /// started at or after <paramref name="from"/> when it is given.
    /// </summary>
    /// <summary>Spend per UTC day, account and model (rows with an account only), newest day first, since <paramref name="from"/> when given.</summary>
    Task<IReadOnlyList<SpendRow>> SpendAsync(DateTimeOffset? from, CancellationToken cancellationToken);

    Task<IReadOnlyList<UsageDay>> UsageAsync(long? keyId, long? accountId, DateTimeOffset? from, CancellationToken cancellationToken);
}
