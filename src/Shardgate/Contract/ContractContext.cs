using System.Text.Json;
using Shardgate.Contract.Messages;
using Shardgate.Contract.Rules;

namespace Shardgate.Contract;

/// <summary>One request passing through the rules: its fields, its model's profile, and what the rules decided.</summary>
internal sealed class ContractContext(RequestFields fields, ModelProfile profile, ContractOptions options)
{
    public RequestFields Fields { get; } = fields;

    public ModelProfile Profile { get; } = profile;

    public ContractOptions Options { get; } = options;

    public bool Stream { get; set; }

    public bool ClientWantsUsage { get; set; }

    /// <summary>The final <c>max_tokens</c> after flooring and capping.</summary>
    public long MaxTokens { get; set; }

    /// <summary>How many choices the host generates (the final <c>n</c>): the output budget is per choice.</summary>
    public long Choices { get; set; } = 1;

    /// <summary>Parsed <c>temperature</c>, for the greedy rule of <c>n</c>.</summary>
    public double? Temperature { get; set; }

    /// <summary>The messages as they go upstream; null until the message stage runs.</summary>
    public MessagePlan? Messages { get; set; }

    /// <summary>Tools rewritten (for example without <c>function.strict</c>), or null when they pass as sent.</summary>
    public ToolsPlan? Tools { get; set; }

    /// <summary>Set when <c>tool_choice: "required"</c> is emulated for this request (see <see cref="Contract.RequiredToolCall"/>).</summary>
    public RequiredToolCall? RequiredToolCall { get; set; }

    /// <summary>The client's own cache key (<c>prompt_cache_key</c>, <c>cache_key</c>, else <c>user</c>), for routing affinity only.</summary>
    public string? AffinityKey { get; set; }

    /// <summary>The client itself asked for logprobs, so forced ones are not hidden from it.</summary>
    public bool ClientAskedForLogprobs { get; set; }

    /// <summary>The request will be replayed on another host to validate this one's answer, which needs its log probabilities.</summary>
    public bool ValidationSampled { get; private set; }

    /// <summary>
    /// Asks the host for log probabilities (five alternatives) for a validation sample, unless the family's contract
    /// already does; a client that did not ask for them does not see them.
    /// </summary>
    public void ForceLogprobs()
    {
        ValidationSampled = true;
        if (Profile.ForceUpstreamLogprobs)
        {
            return;
        }

        ClientAskedForLogprobs = TryGet("logprobs", out var asked) && asked.ValueKind == JsonValueKind.True;
        if (!ClientAskedForLogprobs)
        {
            Fields.Set("logprobs", true);
            Fields.Set("top_logprobs", 5);
        }
    }

    /// <summary>Notes for the client about what the contract changed, sent as response headers.</summary>
    public List<string> Warnings { get; } = [];

    public static ContractError Fail(string code, string? param, string message) => new(code, message, param);

    public bool TryGet(string name, out JsonElement value) => Fields.TryGetValue(name, out value);
}
