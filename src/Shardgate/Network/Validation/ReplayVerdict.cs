namespace Shardgate.Network.Validation;

/// <summary>How a replay compared with the original: over how many positions, the share whose tokens agree, and the mean absolute log-probability difference.</summary>
internal readonly record struct ReplayVerdict(int Positions, double Agreement, double MeanAbsDiff, bool Divergent);
