namespace Shardgate.Catalog;

/// <summary>Every catalog version ever accepted, append-only, so history and rollback survive restarts and are shared by replicas.</summary>
internal interface ICatalogStore
{
    Task<CatalogVersion?> LatestAsync(CancellationToken cancellationToken);

    Task<CatalogVersion?> GetAsync(long version, CancellationToken cancellationToken);

    /// <summary>Versions newest first, without their documents' text beyond what the caller asks for.</summary>
    Task<IReadOnlyList<CatalogVersion>> HistoryAsync(int limit, CancellationToken cancellationToken);

    Task<CatalogVersion> AppendAsync(string document, string author, DateTimeOffset at, CancellationToken cancellationToken);
}
