namespace Shardgate.Catalog;

/// <summary>
/// One model as the catalog declares it. Prices are ngonka per token; <see cref="Accounts"/> null means open to
/// every account; <see cref="Fallbacks"/> are tried in order when the model cannot serve. <see cref="Tokenizer"/> is the
/// path of the model's own tokenizer file (<c>tokenizer.json</c> or a tiktoken file), counted with exactly.
/// </summary>
internal sealed record CatalogModel(
    string Id,
    string Family,
    string? DisplayName,
    long InputPerToken,
    long OutputPerToken,
    long? CachedInputPerToken,
    int? MaxOutputTokens,
    IReadOnlyList<string> Aliases,
    IReadOnlySet<long>? Accounts,
    IReadOnlyList<string> Fallbacks,
    ModelLifecycle State,
    DateOnly? Sunset,
    string? Replacement,
    string? Tokenizer = null)
{
    public bool Admits(long? accountId) => Accounts is null || (accountId is { } id && Accounts.Contains(id));
}
