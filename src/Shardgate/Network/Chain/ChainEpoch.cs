namespace Shardgate.Network.Chain;

/// <summary>
/// What <c>GET /v1/epochs/latest</c> says: the epoch's index, the block height, the epoch phase, the
/// confirmation-PoC phase when one is active, and the block at which the next validator set takes over.
/// </summary>
internal sealed record ChainEpoch(long? Index, long? BlockHeight, string Phase, string? ConfirmationPhase, long? SetNewValidators);
