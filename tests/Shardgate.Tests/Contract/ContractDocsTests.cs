using System.Reflection;
using System.Runtime.CompilerServices;
using Shardgate.Contract;

namespace Shardgate.Tests.Contract;

public sealed class ContractDocsTests
{
    [Fact]
    public void Every_rule_code_has_its_anchor_in_docs_contract_md()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "contract.md"));
        var codes = typeof(ContractCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.Contains($"\n### {code}\n", docs, StringComparison.Ordinal));
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));
}
