using Shardgate.Network.Validation;

namespace Shardgate.Validation;

/// <summary>One replay as the admin API shows it: which request, which host answered, which replayed it, and how they compared.</summary>
/// <param name="Outcome"><c>agreed</c>, <c>diverged</c>, <c>not_executable</c> (the validator refused the payload: not counted), or <c>replay_failed</c>.</param>
internal sealed record ValidationSample(DateTimeOffset At, string RequestId, string Model, string NodeId, string ValidatorId, string Outcome, int Positions, double Agreement, double MeanAbsDiff, double Threshold, long Cost);
