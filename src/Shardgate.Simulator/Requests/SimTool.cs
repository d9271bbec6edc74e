using System.Text.Json;

namespace Shardgate.Simulator.Requests;

/// <summary>A function tool offered by the client; <see cref="Parameters"/> is its JSON schema, if any.</summary>
internal sealed record SimTool(string Name, JsonElement? Parameters);
