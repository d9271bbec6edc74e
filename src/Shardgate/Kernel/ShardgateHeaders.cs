namespace Shardgate.Kernel;

/// <summary>Response headers the gateway adds to what hosts send.</summary>
internal static class ShardgateHeaders
{
    /// <summary>One value per note about what the gateway changed or noticed (cap applied, empty output, …).</summary>
    public const string Warning = "X-Shardgate-Warning";

    /// <summary>The canonical model that served the request.</summary>
    public const string Model = "X-Shardgate-Model";

    /// <summary>Milliseconds the request spent in the gateway before its response headers, host time excluded.</summary>
    public const string Overhead = "X-Shardgate-Overhead-Ms";
}
