using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Contract;

/// <summary>The request contract's settings (configuration section <c>Shardgate:Contract</c>).</summary>
internal sealed record ContractOptions
{
    public const int NetworkDefaultMaxTokens = 3072;
    public const int NetworkMaxTokensCap = 4096;

    [Range(1, 10000000, ErrorMessage = SettingLimits.Between)]
    public int DefaultMaxTokens { get; init; } = NetworkDefaultMaxTokens;

    [Range(1, 10000000, ErrorMessage = SettingLimits.Between)]
    public int MaxTokensCap { get; init; } = NetworkMaxTokensCap;

    /// <summary><c>strip</c> (default) drops <c>plugins</c> silently; <c>reject</c> answers 400.</summary>
    [RegularExpression("(?i)strip|reject", ErrorMessage = "must be strip or reject")]
    public string Plugins { get; init; } = "strip";

    /// <summary><c>rewrite</c> (default) renames duplicate tool-call ids consistently; <c>reject</c> answers 400 as the network does.</summary>
    [RegularExpression("(?i)rewrite|reject", ErrorMessage = "must be rewrite or reject")]
    public string DuplicateToolCallIds { get; init; } = "rewrite";

    /// <summary>Extra names for models, case-insensitive: <c>{"kimi-k2.6": "moonshotai/Kimi-K2.6"}</c>.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();

    /// <summary>Per-model settings by canonical model id.</summary>
    public IReadOnlyDictionary<string, ModelContractOptions> Models { get; init; } = new Dictionary<string, ModelContractOptions>();

    /// <summary>Where error messages point for the rule they cite.</summary>
    public string DocsUrl { get; init; } = "docs/contract.md";
}
