using System.Globalization;
using Shardgate.Contract.Tokens;

namespace Shardgate.Benchmarks;

/// <summary>
/// <c>tokens &lt;tokenizer file&gt;…</c>: how far the default count (o200k_base) is from a family's own tokenizer,
/// over 4 KB chunks of the corpus (English docs and C# code): the mean ratio (own ÷ default, the correction factor a
/// family would start from) and the relative error left after applying it (mean and p95). Also the default's cost.
/// </summary>
internal static class TokenAccuracyBench
{
    public static Task RunAsync(string[] args)
    {
        var corpus = TokenCorpus.Load();
        var chunks = Enumerable.Range(0, corpus.Length / 4096).Select(i => corpus.Substring(i * 4096, 4096)).ToArray();
        var baseline = TokenizerFiles.Default().Tokenizer;
        var counts = chunks.Select(c => baseline.CountTokens(c)).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{chunks.Length} chunks of 4096 characters; o200k_base: {counts.Average():F0} tokens a chunk"));
        foreach (var path in args.Skip(1))
        {
            var own = TokenizerFiles.Load(path).Tokenizer;
            var ratios = chunks.Select((c, i) => (double)own.CountTokens(c) / counts[i]).ToArray();
            var factor = ratios.Average();
            var errors = ratios.Select(r => Math.Abs(r - factor) / r).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{path}: ratio {factor:F3} (min {ratios.Min():F3}, max {ratios.Max():F3}); error after the factor: mean {errors.Average():P1}, p95 {errors[(int)(errors.Length * 0.95)]:P1}, max {errors[^1]:P1}"));
        }

        return Task.CompletedTask;
    }
}
