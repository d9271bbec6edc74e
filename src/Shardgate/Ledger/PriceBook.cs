using System.Collections.Frozen;

using Shardgate.Catalog;
using Shardgate.Kernel;

namespace Shardgate.Ledger;

/// <summary>
/// Prices by model, read from the store at start, after every change here, and on the registry's refresh tick for
/// changes made through other replicas. A model without a price is free.
/// </summary>
internal sealed class PriceBook(ILedgerStore store, IReplicaBus bus, ModelCatalog catalog)
{
    private volatile FrozenDictionary<string, Price> _prices = FrozenDictionary<string, Price>.Empty;

    /// <summary>The catalog's price for a model it declares; else the one set through the admin API; else free.</summary>
    public Price For(string model) =>
        catalog.Current.Models.TryGetValue(model, out var declared) ? new Price(declared.Id, declared.InputPerToken, declared.OutputPerToken)
        : _prices.TryGetValue(model, out var price) ? price
        : Price.Free(model);

    /// <summary>Whether the catalog sets this model's price, so the admin API's price for it would never apply.</summary>
    public bool IsDeclared(string model) => catalog.Current.Models.ContainsKey(model);

    /// <summary>Every price in force: the catalog's models, then the admin API's for models the catalog does not declare.</summary>
    public IReadOnlyCollection<Price> All
    {
        get
        {
            var declared = catalog.Current.Models;
            return [.. declared.Values.Select(m => new Price(m.Id, m.InputPerToken, m.OutputPerToken)), .. _prices.Values.Where(p => !declared.ContainsKey(p.Model))];
        }
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var prices = await store.ListPricesAsync(cancellationToken);
        _prices = prices.ToFrozenDictionary(p => p.Model, StringComparer.OrdinalIgnoreCase);
    }

    public async Task SetAsync(Price price, CancellationToken cancellationToken)
    {
        await store.SetPriceAsync(price, cancellationToken);
        await ReloadAsync(cancellationToken);
        bus.Publish(ReplicaTopics.Prices, price.Model);
    }
}
