using System.Text.Json;

namespace Shardgate.Simulator.Requests;

/// <summary>The parts of a chat-completions request that drive the simulated generation.</summary>
internal sealed record SimChatRequest
{
    public required string? Model { get; init; }
    public required IReadOnlyList<SimMessage> Messages { get; init; }
    public required IReadOnlyList<SimTool> Tools { get; init; }
    public bool Stream { get; init; }
    public bool IncludeUsage { get; init; }
    public int? MaxTokens { get; init; }
    public long? Seed { get; init; }
    public int N { get; init; } = 1;

    /// <summary><c>none</c>, <c>auto</c>, <c>required</c>, or the name of a forced function.</summary>
    public string ToolChoice { get; init; } = "auto";

    /// <summary>
    /// <c>response_format</c> is <c>json_object</c> or <c>json_schema</c>: the answer is JSON, as vLLM's guided decoding
    /// makes it; <see cref="OutputSchema"/> is the schema it satisfies (null for <c>json_object</c>).
    /// </summary>
    public bool JsonOutput { get; init; }

    public JsonElement? OutputSchema { get; init; }

    /// <summary><c>chat_template_kwargs.thinking</c> (or <c>enable_thinking</c>); null when the client left it unset.</summary>
    public bool? Thinking { get; init; }

    public int? ThinkingTokenBudget { get; init; }

    /// <summary>Prompt length in the simulator's tokenizer (about four UTF-8 bytes a token).</summary>
    public int PromptTokens { get; init; }

    /// <summary>Cumulative hash after each message and the token count up to it, for the prefix-cache emulation.</summary>
    public required IReadOnlyList<(ulong Hash, int Tokens)> PrefixHashes { get; init; }

    public SimDirectives Directives { get; init; }

    /// <summary><c>logprobs</c>: per-token log probabilities in each choice, as vLLM returns them.</summary>
    public bool Logprobs { get; init; }

    public int TopLogprobs { get; init; }

    /// <summary><c>return_token_ids</c>: token ids per choice and the prompt's ids at the top level (vLLM 0.10+).</summary>
    public bool ReturnTokenIds { get; init; }

    /// <summary>
    /// <c>enforced_tokens.tokens[].token</c>, the Gonka vLLM fork's validation replay: the output is exactly these
    /// tokens, and the log probabilities are the host's own for them.
    /// </summary>
    public IReadOnlyList<string>? EnforcedTokens { get; init; }

    /// <summary>Where the answer's log probabilities come from; set by the endpoint from the host and its faults.</summary>
    public Generation.LogprobModel Logprob { get; init; } = Generation.LogprobModel.Exact;
}
