namespace Shardgate.Network.Chain;

/// <summary>An active participant of the epoch: its address, where its API node takes inference, its weight and models.</summary>
internal sealed record ChainParticipant(string Address, string? InferenceUrl, long? Weight, IReadOnlyList<ChainModel> Models)
{
    /// <summary>Whether discovery can send it requests: its inference URL is an absolute http or https URL.</summary>
    public bool Routable => Uri.TryCreate(InferenceUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
