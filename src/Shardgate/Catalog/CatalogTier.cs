namespace Shardgate.Catalog;

/// <summary>One model of a fallback alias; <see cref="MaxPromptTokens"/> limits it to prompts up to that size.</summary>
internal sealed record CatalogTier(string Model, long? MaxPromptTokens);
