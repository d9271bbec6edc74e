namespace Shardgate.Benchmarks;

/// <summary>One request as the client saw it: answered in full or not, time to first content, time to the end.</summary>
internal readonly record struct RoutedResult(bool Ok, double TtftMs, double TotalMs);
