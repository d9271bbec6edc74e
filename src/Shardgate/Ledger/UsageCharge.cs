using Shardgate.Kernel;

namespace Shardgate.Ledger;

/// <summary>What a request owes at its model's price, from the usage its host reported.</summary>
internal static class UsageCharge
{
    /// <summary>
    /// Actual usage at the price. Without usage (a stream cut short): the gateway's count of the prompt and a token
    /// per delivered chunk after the first (which carries the role), and nothing if nothing reached the client.
    /// </summary>
    public static long For(Price price, Usage? usage, int deliveredChunks, int promptTokens)
    {
        if (usage is { } reported)
        {
            return price.Cost(reported.PromptTokens, reported.CompletionTokens);
        }

        return deliveredChunks == 0 ? 0 : price.Cost(promptTokens, Math.Max(0, deliveredChunks - 1));
    }
}
