using Shardgate.Contract.Messages;
using Shardgate.Contract.Rules;

namespace Shardgate.Contract;

/// <summary>
/// The request contract as an ordered table of rules (reference §3.1): parameter checks in the network's catalog
/// order, then the messages, then output-token limits, then the rules that depend on the final limits. The first
/// rule that fails decides the error.
/// </summary>
internal sealed class ChatPipeline(ContractOptions options)
{
    /// <summary>The rules in the order they run; each name is the rule's anchor family in <c>docs/contract.md</c>.</summary>
    internal static readonly (string Name, Func<ContractContext, ContractError?> Apply)[] Rules =
    [
        ("stream", ClientFieldRules.Stream),
        ("seed", SamplingRules.Seed),
        ("stop", StopRules.Stop),
        ("stop_token_ids", StopRules.StopTokenIds),
        ("reasoning", ThinkingRules.Reasoning),
        ("reasoning_effort", ThinkingRules.ReasoningEffort),
        ("chat_template_kwargs", ThinkingRules.ChatTemplateKwargs),
        ("enable_thinking", ThinkingRules.EnableThinking),
        ("thinking", ThinkingRules.Thinking),
        ("thinking_token_budget", ThinkingRules.StripThinkingBudget),
        ("tools", ToolRules.Tools),
        ("tool_choice", ToolRules.ToolChoice),
        ("min_tokens", StopRules.MinTokens),
        ("bad_words", StopRules.BadWords),
        ("user", ClientFieldRules.User),
        ("metadata", ClientFieldRules.Metadata),
        ("stream_options", ClientFieldRules.StreamOptions),
        ("response_format", FormatRules.ResponseFormat),
        ("structured_outputs", FormatRules.StructuredOutputs),
        ("safety_identifier", ThinkingRules.SafetyIdentifier),
        ("reasoning_split", ThinkingRules.ReasoningSplit),
        ("max_tokens", OutputTokenRules.Check),
        ("booleans", ParameterCatalog.CheckBooleans),
        ("stripped", ParameterCatalog.StripSilently),
        ("messages", MessageRules.Apply),
        ("output_limits", OutputTokenRules.Apply),
        ("temperature", SamplingRules.Temperature),
        ("repetition_penalty", SamplingRules.RepetitionPenalty),
        ("logit_bias", SamplingRules.LogitBias),
        ("min_p", SamplingRules.MinP),
        ("top_p", SamplingRules.TopP),
        ("top_k", SamplingRules.TopK),
        ("penalties", SamplingRules.Penalties),
        ("forced_fields", ClientFieldRules.ForcedUpstreamFields),
        ("n", SamplingRules.N),
        ("required_tool_choice", ToolRules.RequiredWithChoices),
        ("kimi_thinking_budget", ThinkingRules.ResolveKimiBudget),
        ("min_tokens_clamp", StopRules.ClampMinTokens),
    ];

    public ContractContext Apply(ParsedRequest request, ModelProfile profile, out ContractError? error)
    {
        var context = new ContractContext(request.Fields, profile, options);
        request.Fields.Set("model", profile.ModelId);
        foreach (var (_, apply) in Rules)
        {
            error = apply(context);
            if (error is not null)
            {
                return context;
            }
        }

        error = null;
        return context;
    }
}
