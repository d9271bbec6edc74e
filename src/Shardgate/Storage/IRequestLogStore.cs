namespace Shardgate.Storage;

/// <summary>The append-only request log.</summary>
internal interface IRequestLogStore
{
    /// <summary>Appends rows in one transaction: one commit for the whole batch.</summary>
    Task AppendAsync(IReadOnlyList<RequestLogEntry> entries, CancellationToken cancellationToken);

    Task<RequestLogEntry?> GetAsync(string requestId, CancellationToken cancellationToken);
}
