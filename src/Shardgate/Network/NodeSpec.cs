using System.Text.Json.Serialization;

namespace Shardgate.Network;

/// <summary>
/// An ML node as the admin API, the configuration file and the database describe it; shaped like the network's
/// <c>InferenceNodeConfig</c>, plus <see cref="Weight"/>, <see cref="BaseUrl"/> and <see cref="Enabled"/>.
/// </summary>
// Setters, not init: the JSON source generator assigns every init-only property, which would wipe the defaults.
// Unknown fields are refused so a typo such as 'inference_prot' is an error, not a silent default.
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record NodeSpec
{
    public string Id { get; set; } = string.Empty;

    public string Host { get; set; } = string.Empty;

    public int InferencePort { get; set; }

    /// <summary>A path under host:port where the OpenAI API lives, for example <c>/v2</c>.</summary>
    public string? InferenceSegment { get; set; }

    /// <summary>A full base URL (https or a path) that replaces host, port and segment when set.</summary>
    public string? BaseUrl { get; set; }

    public int MaxConcurrent { get; set; }

    /// <summary>Relative compute weight within a model's shard.</summary>
    public double Weight { get; set; } = 1.0;

    public IReadOnlyDictionary<string, NodeModelSpec> Models { get; set; } = new Dictionary<string, NodeModelSpec>();

    public IReadOnlyList<HardwareSpec>? Hardware { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>The URL under which <c>/v1/chat/completions</c> lives.</summary>
    public Uri ResolveBaseUri()
    {
        var text = string.IsNullOrWhiteSpace(BaseUrl)
            ? $"http://{Host}:{InferencePort}{InferenceSegment}"
            : BaseUrl;
        return new Uri(text.TrimEnd('/') + "/", UriKind.Absolute);
    }
}
