using System.Globalization;
using System.Text.Json.Serialization;

namespace Shardgate.Network;

/// <summary>A model a node serves, with the vLLM arguments it was started with.</summary>
// Unknown fields are refused so a typo such as 'inference_prot' is an error, not a silent default.
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record NodeModelSpec
{
    public IReadOnlyList<string> Args { get; set; } = [];

    /// <summary>An explicit context window; otherwise read from <c>--max-model-len</c> in <see cref="Args"/>.</summary>
    public int? ContextWindow { get; set; }

    /// <summary>The node's weight in this model's shard, instead of its own <see cref="NodeSpec.Weight"/>.</summary>
    public double? Weight { get; set; }

    /// <summary>The context window this node gives the model, or null when neither field says.</summary>
    public int? ResolveContextWindow()
    {
        if (ContextWindow is > 0)
        {
            return ContextWindow;
        }

        for (var i = 0; i < Args.Count; i++)
        {
            var arg = Args[i];
            string? value = null;
            if (arg == "--max-model-len" && i + 1 < Args.Count)
            {
                value = Args[i + 1];
            }
            else if (arg.StartsWith("--max-model-len=", StringComparison.Ordinal))
            {
                value = arg["--max-model-len=".Length..];
            }

            if (value is not null)
            {
                return ParseLength(value);
            }
        }

        return null;
    }

    // vLLM accepts a suffix: 128k, 1m (decimal) and 128K, 1M (binary).
    internal static int? ParseLength(string value)
    {
        value = value.Trim();
        long multiplier = 1;
        if (value.Length > 1 && char.IsLetter(value[^1]))
        {
            multiplier = value[^1] switch
            {
                'k' => 1_000,
                'K' => 1_024,
                'm' => 1_000_000,
                'M' => 1_048_576,
                _ => 0,
            };
            value = value[..^1];
        }

        return multiplier > 0 && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 && n * multiplier <= int.MaxValue
            ? (int)(n * multiplier)
            : null;
    }
}
