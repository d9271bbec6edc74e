namespace Shardgate.Routing;

/// <summary>A host's standing: trusted, resting until a time, or on probation after resting.</summary>
internal enum HealthStatus
{
    Healthy,
    CoolingDown,
    Quarantined,
    Probation,
}
