namespace Shardgate.Simulator.Generation;

/// <summary>Which field of a streaming delta one generated token goes to.</summary>
internal enum DeltaKind
{
    Reasoning,
    Content,
    ToolCallStart,
    ToolCallArguments,
}
