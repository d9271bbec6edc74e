namespace Shardgate.Simulator.Requests;

/// <summary>A chat message as the simulator sees it: role and flattened text.</summary>
internal sealed record SimMessage(string Role, string Text);
