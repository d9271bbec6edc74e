using System.Collections.Frozen;

using Shardgate.Kernel;

namespace Shardgate.Ledger;

/// <summary>
/// Prices by model, read from the store at start, after every change here, and on the registry's refresh tick for
/// changes made through other replicas. A model without a price is free.
/// </summary>
internal sealed class PriceBook(ILedgerStore store, IReplicaBus bus)
{
    private volatile FrozenDictionary<string, Price> _prices = FrozenDictionary<string, Price>.Empty;

    public Price For(string model) => _prices.TryGetValue(model, out var price) ? price : Price.Free(model);

    public IReadOnlyCollection<Price> All => _prices.Values;

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
