using Shardgate.Network.Chain;

namespace Shardgate.Network.Economics;

/// <summary>A participant's figures from the chain: weight, collateral and the active weight they allow, and its money on chain.</summary>
internal sealed record ParticipantEconomics(string Address, long? Weight, long Collateral, long? ActiveWeight, long? CoinsOwed, long? Balance);
