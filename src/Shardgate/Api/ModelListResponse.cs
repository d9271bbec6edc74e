namespace Shardgate.Api;

/// <summary>OpenAI's model list: <c>{"object":"list","data":[…]}</c>.</summary>
internal sealed record ModelListResponse(string Object, IReadOnlyList<ModelEntry> Data);

/// <summary>
/// One served model. <see cref="ContextLength"/> is the largest real window among its hosts (from their
/// <c>--max-model-len</c>), and <see cref="MaxCompletionTokens"/> the output cap the contract applies.
/// </summary>
internal sealed record ModelEntry(
    string Id,
    string Object,
    long Created,
    string OwnedBy,
    int? ContextLength,
    int MaxCompletionTokens,
    string Family,
    int Hosts,
    IReadOnlyList<string> SupportedParameters,
    ModelPricing Pricing,
    string? Name = null,
    string? Lifecycle = null,
    string? Sunset = null,
    string? Replacement = null);

/// <summary>What a model costs, in integer ngonka per token (1 GNK = 10^9 ngonka); reasoning tokens are output.</summary>
internal sealed record ModelPricing(long InputPerToken, long OutputPerToken, string Unit);
