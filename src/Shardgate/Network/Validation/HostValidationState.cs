namespace Shardgate.Network.Validation;

/// <summary>A host's validation record: samples taken, how many diverged, the recent window, and whether it is suspect.</summary>
internal sealed record HostValidationState(string NodeId, int Samples, int Diverged, int WindowSamples, int WindowDiverged, bool Suspect, DateTimeOffset? SuspectSince);
