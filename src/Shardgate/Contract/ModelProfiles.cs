using System.Collections.Concurrent;
using Shardgate.Catalog;

namespace Shardgate.Contract;

/// <summary>Profiles by canonical model id, built once per model and again after each catalog change.</summary>
internal sealed class ModelProfiles
{
    private readonly ContractOptions _options;
    private readonly ModelCatalog _catalog;
    private volatile ConcurrentDictionary<string, ModelProfile> _profiles = new(StringComparer.Ordinal);

    public ModelProfiles(ContractOptions options, ModelCatalog catalog)
    {
        _options = options;
        _catalog = catalog;
        catalog.Changed += () => _profiles = new ConcurrentDictionary<string, ModelProfile>(StringComparer.Ordinal);
    }

    public ModelProfile Get(string modelId) =>
        _profiles.GetOrAdd(modelId, static (id, self) => ModelProfile.For(id, self._options, self._catalog.Current.Models.GetValueOrDefault(id)), this);
}
