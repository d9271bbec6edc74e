namespace Shardgate.Simulator.Generation;

/// <summary>One generated token: a streaming delta. For <see cref="DeltaKind.ToolCallStart"/> the text is the function name.</summary>
internal readonly record struct PlannedDelta(DeltaKind Kind, string Text, int ToolIndex = 0, string? ToolCallId = null);
