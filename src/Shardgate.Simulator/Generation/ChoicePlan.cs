namespace Shardgate.Simulator.Generation;

/// <summary>Everything one choice will emit, already cut to <c>max_tokens</c>: one delta per completion token.</summary>
internal sealed record ChoicePlan(int Index, IReadOnlyList<PlannedDelta> Deltas, string FinishReason)
{
    public int CompletionTokens => Deltas.Count;
}
