using System.Text;

namespace Shardgate.Simulator.Generation;

/// <summary>
/// The simulator's stand-in tokenizer: about four UTF-8 bytes a token, plus a fixed overhead per message for the
/// chat template. Real hosts count with the model's tokenizer; this keeps counts plausible and repeatable.
/// </summary>
internal static class SimTokenizer
{
    public const int PerMessageOverhead = 4;

    public static int Count(string text) => (Encoding.UTF8.GetByteCount(text) + 3) / 4;
}
