namespace Shardgate.Network;

/// <summary>Accelerators on a node, informational: <c>{"type": "NVIDIA H100 80GB", "count": 8}</c>.</summary>
internal sealed record HardwareSpec(string Type, int Count);
