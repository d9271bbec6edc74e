namespace Shardgate.Routing;

/// <summary>One failed attempt at a host, as passive health recorded it: for the operator's "recent failures".</summary>
internal sealed record HostFailure(DateTimeOffset At, string Kind, string Reason);
