namespace Shardgate.Catalog;

/// <summary>Why a catalog was refused: where (its path in the document and, from a file, its line) and what to do.</summary>
internal sealed record CatalogProblem(string Path, int? Line, string Message)
{
    public override string ToString() => Line is { } line ? $"line {line}, {Path}: {Message}" : $"{Path}: {Message}";
}
