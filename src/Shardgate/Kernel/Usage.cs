namespace Shardgate.Kernel;

/// <summary>Token usage as a host reports it.</summary>
internal readonly record struct Usage(int PromptTokens, int CompletionTokens, int CachedTokens);
