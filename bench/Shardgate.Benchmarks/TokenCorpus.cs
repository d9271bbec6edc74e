namespace Shardgate.Benchmarks;

/// <summary>Prompt-like text for the token benchmarks: the repository's Markdown docs and C# sources, concatenated.</summary>
internal static class TokenCorpus
{
    public static string Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "docs")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? throw new InvalidOperationException("Run the benchmarks from inside the repository: the corpus is its docs/ and src/.");
        return string.Concat(
            Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText)
                .Concat(Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText)));
    }
}
