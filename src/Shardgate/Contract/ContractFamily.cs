namespace Shardgate.Contract;

/// <summary>The rule set a model gets; the network's contract differs per family (§3.10 of the reference).</summary>
internal enum ContractFamily
{
    Generic,
    Kimi,
    MiniMax,
    Qwen,
}
