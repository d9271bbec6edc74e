namespace Shardgate.Benchmarks;

/// <summary>Who picks the host: the client at random, the client by weight (both straight to the host, no retries), or the gateway.</summary>
internal enum RoutingStrategy
{
    Random,
    Weighted,
    Shardgate,
}
