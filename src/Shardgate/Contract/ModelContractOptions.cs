namespace Shardgate.Contract;

/// <summary>Per-model contract settings; unset values inherit the global ones.</summary>
internal sealed record ModelContractOptions
{
    /// <summary><c>kimi</c>, <c>minimax</c>, <c>qwen</c> or <c>generic</c>; guessed from the model id when unset.</summary>
    public string? Family { get; init; }

    public int? DefaultMaxTokens { get; init; }

    public int? MaxTokensCap { get; init; }

    /// <summary>The model takes image and audio parts; others are text only.</summary>
    public bool Vision { get; init; }

    /// <summary>The hosts support <c>tool_choice: "required"</c>; otherwise it is coerced to <c>"auto"</c>.</summary>
    public bool SupportsRequiredToolChoice { get; init; }

    /// <summary>Force <c>logprobs</c>, <c>top_logprobs: 5</c> and <c>return_token_ids</c> upstream (for validation), hidden from clients.</summary>
    public bool ForceUpstreamLogprobs { get; init; }

    /// <summary>Move MiniMax's inline <c>&lt;think&gt;…&lt;/think&gt;</c> into <c>reasoning_content</c>.</summary>
    public bool? SplitThinking { get; init; }
}
