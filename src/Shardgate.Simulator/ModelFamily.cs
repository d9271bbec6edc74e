namespace Shardgate.Simulator;

/// <summary>The output conventions of a model family, as the real vLLM deployments show them.</summary>
public enum ModelFamily
{
    /// <summary>Plain text, no reasoning, hermes-style tool calls.</summary>
    Generic,

    /// <summary>moonshotai/Kimi-K2.6: reasoning in <c>reasoning_content</c>, tool-call ids <c>functions.name:idx</c>.</summary>
    Kimi,

    /// <summary>MiniMaxAI/MiniMax-M2.7: reasoning inline as <c>&lt;think&gt;…&lt;/think&gt;</c> in <c>content</c>.</summary>
    MiniMax,

    /// <summary>Qwen/Qwen3-235B-A22B-Instruct-2507-FP8: no reasoning, hermes-style tool calls.</summary>
    Qwen,
}
