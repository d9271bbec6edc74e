namespace Shardgate.Contract.Schema;

/// <summary>Bounds for a JSON-Schema (or, with <see cref="IsSchema"/> false, any object) walked before forwarding.</summary>
internal sealed record SchemaLimits(int MaxDepth, int MaxNodes, int MaxBranches, int MaxEnum, int MaxPatternBytes, int MaxBytes, bool IsSchema)
{
    /// <summary>Tool parameters: reference §3.7 with 256 nodes.</summary>
    public static SchemaLimits Tools { get; } = new(16, 256, 16, 256, 512, 16 * 1024, IsSchema: true);

    /// <summary><c>response_format.json_schema.schema</c> and <c>structured_outputs.json</c>: 128 nodes.</summary>
    public static SchemaLimits Output { get; } = new(16, 128, 16, 256, 512, 16 * 1024, IsSchema: true);
}
