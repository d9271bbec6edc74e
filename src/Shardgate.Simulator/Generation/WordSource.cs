namespace Shardgate.Simulator.Generation;

/// <summary>Deterministic filler text: one word is one token.</summary>
internal static class WordSource
{
    private static readonly string[] Words =
    [
        "the", "shard", "routes", "each", "request", "to", "a", "host", "with", "spare", "capacity", "and",
        "tokens", "flow", "back", "as", "they", "are", "generated", "by", "model", "network", "of", "GPUs",
        "balance", "settles", "after", "usage", "is", "known", "cache", "prefix", "hits", "make", "first",
        "token", "arrive", "sooner", "while", "context", "windows", "bound", "prompt", "length", "so", "long",
        "inputs", "go", "where", "fit", "every", "answer", "here", "comes", "from", "simulated", "vLLM", "node",
        "that", "behaves", "like", "real", "one", "today",
    ];

    public static void Append(List<PlannedDelta> into, DeltaKind kind, ref Xorshift rng, int count, bool leadingSpace = false)
    {
        for (var i = 0; i < count; i++)
        {
            var word = Words[rng.Next(Words.Length)];
            var text = i == 0 && !leadingSpace ? word : " " + word;
            if (i == count - 1)
            {
                text += ".";
            }

            into.Add(new PlannedDelta(kind, text));
        }
    }
}
