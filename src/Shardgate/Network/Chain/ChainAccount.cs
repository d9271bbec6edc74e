namespace Shardgate.Network.Chain;

/// <summary>A participant's money on chain (<c>GET /v1/participants</c>): coins owed to it (earned, paid with the epoch's rewards) and its balance, in ngonka.</summary>
internal sealed record ChainAccount(long? CoinsOwed, long? Balance);
