namespace Shardgate.Network.Chain;

/// <summary>
/// The epoch's active participants (<c>GET /v1/epochs/current/participants</c>); <see cref="Skipped"/> counts
/// entries that could not be read (no address or no model). Participants without a usable inference URL are kept:
/// their ML nodes still carry phase and weights for nodes the broker registered itself.
/// </summary>
internal sealed record ChainParticipants(long? Epoch, IReadOnlyList<ChainParticipant> Participants, int Skipped);
