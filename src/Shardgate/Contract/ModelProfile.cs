namespace Shardgate.Contract;

/// <summary>The effective contract for one canonical model: family and limits, global settings applied.</summary>
internal sealed record ModelProfile(
    string ModelId,
    ContractFamily Family,
    int DefaultMaxTokens,
    int MaxTokensCap,
    bool Vision,
    bool SupportsRequiredToolChoice,
    bool ForceUpstreamLogprobs,
    bool SplitThinking)
{
    public bool IsKimi => Family == ContractFamily.Kimi;

    public bool IsMiniMax => Family == ContractFamily.MiniMax;

    /// <summary>The profile from the settings, with the catalog's family and output cap winning when it declares the model.</summary>
    public static ModelProfile For(string modelId, ContractOptions options, Catalog.CatalogModel? declared = null)
    {
        var specific = FindSpecific(modelId, options);
        var family = ParseFamily(declared?.Family) ?? ParseFamily(specific?.Family) ?? GuessFamily(modelId);
        var cap = declared?.MaxOutputTokens ?? (specific?.MaxTokensCap is > 0 and var c ? c : options.MaxTokensCap);
        var defaultMax = specific?.DefaultMaxTokens is > 0 and var d ? d : options.DefaultMaxTokens;
        return new ModelProfile(
            modelId,
            family,
            declared?.MaxOutputTokens is { } declaredCap ? Math.Min(defaultMax, declaredCap) : defaultMax,
            cap,
            specific?.Vision ?? false,
            specific?.SupportsRequiredToolChoice ?? false,
            specific?.ForceUpstreamLogprobs ?? false,
            specific?.SplitThinking ?? family == ContractFamily.MiniMax);
    }

    private static ModelContractOptions? FindSpecific(string modelId, ContractOptions options)
    {
        foreach (var (id, specific) in options.Models)
        {
            if (string.Equals(id, modelId, StringComparison.OrdinalIgnoreCase))
            {
                return specific;
            }
        }

        return null;
    }

    private static ContractFamily? ParseFamily(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "kimi" => ContractFamily.Kimi,
        "minimax" => ContractFamily.MiniMax,
        "qwen" => ContractFamily.Qwen,
        "generic" => ContractFamily.Generic,
        _ => null,
    };

    // The network's three models, by the names their publishers give them.
    private static ContractFamily GuessFamily(string modelId) =>
        modelId.Contains("kimi", StringComparison.OrdinalIgnoreCase) ? ContractFamily.Kimi
        : modelId.Contains("minimax", StringComparison.OrdinalIgnoreCase) ? ContractFamily.MiniMax
        : modelId.Contains("qwen", StringComparison.OrdinalIgnoreCase) ? ContractFamily.Qwen
        : ContractFamily.Generic;
}
