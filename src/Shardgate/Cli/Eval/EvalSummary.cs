using Shardgate.Api.Admin;

namespace Shardgate.Cli.Eval;

/// <summary>One model's results over the prompt set.</summary>
internal sealed record EvalSummary(
    string Model,
    int Prompts,
    int Succeeded,
    int ChecksPassed,
    int Checks,
    int PromptsPassed,
    double? FirstTokenP50Ms,
    double? FirstTokenP95Ms,
    double? TotalP50Ms,
    double? TotalP95Ms,
    long InputTokens,
    long OutputTokens,
    long Cost)
{
    public double SuccessRate => Prompts == 0 ? 0 : (double)Succeeded / Prompts;

    public static IReadOnlyList<EvalSummary> Of(IReadOnlyList<string> models, IReadOnlyList<EvalResult> results) =>
        [.. models.Select(model =>
        {
            var mine = results.Where(r => r.Model == model).ToList();
            var firstTokens = mine.Where(r => r.FirstTokenMs is not null).Select(r => r.FirstTokenMs!.Value).Order().ToList();
            var totals = mine.Where(r => r.Succeeded).Select(r => r.TotalMs).Order().ToList();
            return new EvalSummary(
                model,
                mine.Count,
                mine.Count(r => r.Succeeded),
                mine.Sum(r => r.ChecksPassed),
                mine.Sum(r => r.Checks),
                mine.Count(r => r.Passed),
                RequestStats.Percentile(firstTokens, 0.50),
                RequestStats.Percentile(firstTokens, 0.95),
                RequestStats.Percentile(totals, 0.50),
                RequestStats.Percentile(totals, 0.95),
                mine.Sum(r => r.InputTokens),
                mine.Sum(r => r.OutputTokens),
                mine.Sum(r => r.Cost));
        })];

    /// <summary>The prompts whose outcome (passed or not) differs between the models: where the answers differ in a way that counts.</summary>
    public static IReadOnlyList<IGrouping<string, EvalResult>> Differences(IReadOnlyList<EvalResult> results) =>
        [.. results.GroupBy(r => r.PromptId, StringComparer.Ordinal).Where(g => g.Select(r => r.Passed).Distinct().Count() > 1)];
}
