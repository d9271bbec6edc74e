namespace Shardgate.Cli.Eval;

/// <summary>One prompt's answer from one model, measured at the client: what a user of the gateway would see.</summary>
internal sealed record EvalResult(
    string Model,
    string PromptId,
    string Kind,
    int Status,
    string? RequestId,
    string? ServedBy,
    double? FirstTokenMs,
    double TotalMs,
    long InputTokens,
    long OutputTokens,
    long Cost,
    int ChecksPassed,
    int Checks,
    string? Error)
{
    public bool Succeeded => Status is >= 200 and < 300 && Error is null;

    public bool Passed => Succeeded && ChecksPassed == Checks;
}
