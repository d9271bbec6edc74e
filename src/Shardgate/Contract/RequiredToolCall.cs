using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Contract.Rules;
using Shardgate.Kernel;

namespace Shardgate.Contract;

/// <summary>
/// <c>tool_choice: "required"</c> emulated for a model whose hosts cannot force a call (reference §3.7 sends it as
/// <c>"auto"</c>): an answer without a tool call is held back, and the request is sent once more with an
/// instruction naming the tools and the output budget the first answer left. Better than the network's gateway,
/// which downgrades silently: LangChain's <c>tool_choice: "any"</c> then gets text where it expects a call.
/// </summary>
internal sealed class RequiredToolCall
{
    /// <summary>Fewer output tokens than this left after the first answer leave no room for a call: no retry.</summary>
    public const long MinRetryTokens = 16;

    private const int MaxNamedTools = 16;

    private readonly ContractContext _context;

    public RequiredToolCall(ContractContext context, IReadOnlyList<string> tools)
    {
        _context = context;
        Tools = tools;
        var named = string.Join(", ", tools.Take(MaxNamedTools));
        Instruction = $"You must respond by calling one of the provided tools ({named}{(tools.Count > MaxNamedTools ? ", …" : string.Empty)}). Do not answer in text.";
        InstructionTokens = Encoding.UTF8.GetByteCount(Instruction) + 8;
    }

    public IReadOnlyList<string> Tools { get; }

    /// <summary>The system note the retry adds.</summary>
    public string Instruction { get; }

    /// <summary>An upper bound on the note's tokens (a byte-level tokenizer never makes more tokens than bytes), for the reservation.</summary>
    public int InstructionTokens { get; }

    /// <summary>The retry's body: the same request with the instruction in its system message and <paramref name="maxTokens"/> of output.</summary>
    public PooledBufferWriter WriteRetryBody(long maxTokens, int sizeHint)
    {
        var c = _context;
        c.MaxTokens = maxTokens;
        c.Fields.Set("max_tokens", JsonValue.Create(maxTokens));
        if (c.Fields.Contains("max_completion_tokens"))
        {
            c.Fields.Set("max_completion_tokens", JsonValue.Create(maxTokens));
        }

        // Kimi's thinking budget was resolved against the first budget; the smaller one must still leave room to answer.
        ThinkingRules.ResolveKimiBudget(c);
        c.Messages?.AddSystemNote(Instruction);
        return UpstreamBodyWriter.Write(c, sizeHint + Instruction.Length * 2);
    }
}
