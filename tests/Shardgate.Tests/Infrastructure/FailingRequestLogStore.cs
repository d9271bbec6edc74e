using Shardgate.Ledger;
using Shardgate.Storage;

namespace Shardgate.Tests.Infrastructure;

/// <summary>A request-log store whose next <see cref="FailuresLeft"/> appends fail, as a database that is down would; everything else passes through.</summary>
internal sealed class FailingRequestLogStore(IRequestLogStore inner) : IRequestLogStore
{
    public int FailuresLeft { get; set; }

    public Task AppendAsync(IReadOnlyList<RequestLogEntry> entries, CancellationToken cancellationToken)
    {
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            throw new IOException("the database is down (injected)");
        }

        return inner.AppendAsync(entries, cancellationToken);
    }

    public Task<RequestLogEntry?> GetAsync(string requestId, CancellationToken cancellationToken) => inner.GetAsync(requestId, cancellationToken);

    public Task<IReadOnlyList<RequestLogEntry>> QueryAsync(RequestLogQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

    public Task<IReadOnlyList<SpendRow>> SpendAsync(DateTimeOffset? from, CancellationToken cancellationToken) => inner.SpendAsync(from, cancellationToken);

    public Task<IReadOnlyList<UsageDay>> UsageAsync(long? keyId, long? accountId, DateTimeOffset? from, CancellationToken cancellationToken) => inner.UsageAsync(keyId, accountId, from, cancellationToken);
}
