using System.Text.Json.Nodes;

namespace Shardgate.Contract;

/// <summary>A parsed chat-completions body: the one parse of the request, kept as a mutable tree for normalization.</summary>
internal sealed class ChatRequest(JsonObject root, string model, bool stream, bool clientWantsUsage)
{
    public JsonObject Root { get; } = root;

    /// <summary>The model as the client wrote it.</summary>
    public string Model { get; } = model;

    public bool Stream { get; } = stream;

    /// <summary>The client set <c>stream_options.include_usage</c>: it gets the usage chunk; others do not see it.</summary>
    public bool ClientWantsUsage { get; } = clientWantsUsage;
}
