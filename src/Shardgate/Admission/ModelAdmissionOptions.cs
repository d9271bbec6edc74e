namespace Shardgate.Admission;

/// <summary>One model's admission limits; unset or zero means unlimited.</summary>
internal sealed record ModelAdmissionOptions
{
    public int? MaxConcurrent { get; init; }

    public long? MaxInputTokensInFlight { get; init; }
}
