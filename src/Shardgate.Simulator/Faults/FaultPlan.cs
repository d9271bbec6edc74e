namespace Shardgate.Simulator.Faults;

/// <summary>
/// What goes wrong with one simulated request. Several faults combine, for example a slow first token and then
/// a drop. Parsed from the grammar <c>status=503; drop-after=3; stall-after=2; slow-first-token=1500; slow-end=500; hold; empty; wrong-model</c>.
/// </summary>
internal sealed record FaultPlan(
    int? Status,
    int? DropAfterChunks,
    int? StallAfterChunks,
    TimeSpan ExtraFirstTokenDelay,
    bool EmptyStream)
{
    public static FaultPlan None { get; } = new(null, null, null, TimeSpan.Zero, false);

    /// <summary>How long a stream's body stays open after <c>[DONE]</c> before it ends.</summary>
    public TimeSpan SlowEnd { get; init; }

    /// <summary>Holds the request before its response starts until the test releases the host (<see cref="SimulatedHost.ReleaseHeld"/>).</summary>
    public bool HoldUntilReleased { get; init; }

    /// <summary>Answers as another model would: the same plausible text, different log probabilities.</summary>
    public bool WrongModel { get; init; }

    /// <summary>Merges two plans; values set in <paramref name="other"/> win.</summary>
    public FaultPlan Overlay(FaultPlan other) => new(
        other.Status ?? Status,
        other.DropAfterChunks ?? DropAfterChunks,
        other.StallAfterChunks ?? StallAfterChunks,
        other.ExtraFirstTokenDelay > TimeSpan.Zero ? other.ExtraFirstTokenDelay : ExtraFirstTokenDelay,
        other.EmptyStream || EmptyStream)
    {
        SlowEnd = other.SlowEnd > TimeSpan.Zero ? other.SlowEnd : SlowEnd,
        HoldUntilReleased = other.HoldUntilReleased || HoldUntilReleased,
        WrongModel = other.WrongModel || WrongModel,
    };
}
