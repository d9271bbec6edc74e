using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Shardgate.Contract.Tokens;

/// <summary>
/// A tokenizer and the regular expression that cuts text into its pre-tokens. <see cref="PromptCounter"/> splits
/// with it itself and asks the tokenizer only for pieces it has not counted before.
/// </summary>
internal sealed record SplitTokenizer(Tokenizer Tokenizer, Regex Split);
