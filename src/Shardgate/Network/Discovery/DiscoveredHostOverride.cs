namespace Shardgate.Network.Discovery;

/// <summary>
/// What an operator sets for one discovered participant. <see cref="Exclude"/> keeps it out of routing;
/// <see cref="Pin"/> keeps it serving, at its last known address, when it leaves the chain's list; the other fields
/// replace what the chain says.
/// </summary>
internal sealed record DiscoveredHostOverride
{
    public bool Exclude { get; init; }

    public bool Pin { get; init; }

    /// <summary>Where its OpenAI API lives, instead of the chain's <c>inference_url</c>.</summary>
    public string? BaseUrl { get; init; }

    public int? MaxConcurrent { get; init; }

    /// <summary>Relative weight in each of its shards (1 is an average participant), instead of its PoC weight.</summary>
    public double? Weight { get; init; }

    /// <summary>The context window it gives every model, which the chain does not publish.</summary>
    public int? ContextWindow { get; init; }
}
