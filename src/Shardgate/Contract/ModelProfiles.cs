using System.Collections.Concurrent;

namespace Shardgate.Contract;

/// <summary>Profiles by canonical model id, built once per model.</summary>
internal sealed class ModelProfiles(ContractOptions options)
{
    private readonly ConcurrentDictionary<string, ModelProfile> _profiles = new(StringComparer.Ordinal);

    public ModelProfile Get(string modelId) => _profiles.GetOrAdd(modelId, static (id, o) => ModelProfile.For(id, o), options);
}
