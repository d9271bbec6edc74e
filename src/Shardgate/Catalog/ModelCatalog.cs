using Microsoft.Extensions.Logging;
using Shardgate.Kernel;
using Shardgate.Observability;

namespace Shardgate.Catalog;

/// <summary>
/// The catalog in force. A change (from the file, the admin API or a rollback) is validated as a whole, stored as a
/// new version, swapped in atomically and announced to the other replicas, which load that version from the
/// database. The request path reads <see cref="Current"/> once and routes by that snapshot (fallbacks, aliases,
/// lifecycle, access), so a change never splits those decisions between two catalogs; a stream running across a
/// change finishes with the model and the price it was admitted with.
/// </summary>
internal sealed class ModelCatalog(ICatalogStore store, IReplicaBus bus, TimeProvider time, ILogger<ModelCatalog> logger) : IDisposable
{
    private readonly SemaphoreSlim _changes = new(1, 1);
    private volatile InForce _inForce = new(CatalogSnapshot.Empty, null);
    private long _refusals;

    /// <summary>Raised after every swap, for caches derived from the catalog.</summary>
    public event Action? Changed;

    public CatalogSnapshot Current => _inForce.Catalog;

    /// <summary>Changes refused since start: an invalid edit leaves the catalog as it was, and only this count moves.</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <summary>The version in force; null while no catalog was ever accepted.</summary>
    public CatalogVersion? Version => _inForce.Version;

    /// <summary>Validates and applies a document; the problems, and nothing changed, when it is invalid.</summary>
    public async Task<(CatalogVersion? Version, IReadOnlyList<CatalogProblem> Problems)> ApplyAsync(string document, string author, CancellationToken cancellationToken)
    {
        var (catalog, problems) = CatalogParser.Parse(document);
        if (catalog is null)
        {
            GatewayLog.CatalogRefused(logger, author, string.Join("; ", problems));
            Interlocked.Increment(ref _refusals);
            return (null, problems);
        }

        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (_inForce.Version is { } current && current.Document == document)
            {
                return (current, []);
            }

            var version = await store.AppendAsync(document, author, time.GetUtcNow(), cancellationToken);
            Swap(catalog, version);
            bus.Publish(ReplicaTopics.Catalog, version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return (version, []);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Applies an earlier version's document again, as a new version, so the history stays append-only.</summary>
    public async Task<(CatalogVersion? Version, IReadOnlyList<CatalogProblem> Problems)> RollbackAsync(long version, string author, CancellationToken cancellationToken) =>
        await store.GetAsync(version, cancellationToken) is { } earlier
            ? await ApplyAsync(earlier.Document, $"{author} (rollback to version {version})", cancellationToken)
            : (null, [new CatalogProblem("version", null, $"there is no catalog version {version}; GET /admin/v1/catalog/history lists them")]);

    /// <summary>Takes the newest stored version when it is newer than the one in force: at start, on a replica's news, on the refresh tick.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        if (await store.LatestAsync(cancellationToken) is not { } latest || latest.Version <= (_inForce.Version?.Version ?? 0))
        {
            return;
        }

        await _changes.WaitAsync(cancellationToken);
        try
        {
            // Stored versions were valid when written; one that no longer parses (a newer replica's schema) is skipped.
            if (latest.Version > (_inForce.Version?.Version ?? 0) && CatalogParser.Parse(latest.Document).Catalog is { } catalog)
            {
                Swap(catalog, latest);
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    public void Dispose() => _changes.Dispose();

    private void Swap(CatalogSnapshot catalog, CatalogVersion version)
    {
        _inForce = new InForce(catalog, version);
        GatewayLog.CatalogApplied(logger, version.Version, version.Author, catalog.Models.Count, catalog.Aliases.Count);
        Changed?.Invoke();
    }

    private sealed record InForce(CatalogSnapshot Catalog, CatalogVersion? Version);
}
