using NetArchTest.Rules;
using Shardgate.Hosting;

namespace Shardgate.Tests;

/// <summary>
/// Holds the one dependency direction of docs/architecture.md: each folder of src/Shardgate uses only the folders
/// before it. NetArchTest reads the compiled IL, so a type used only inside a method body counts as a dependency.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>The request's path, in the order of docs/architecture.md.</summary>
    private static readonly string[] Order =
        ["Kernel", "Observability", "Catalog", "Contract", "Network", "Routing", "Ledger", "Admission", "Upstream", "Validation", "Storage", "Api", "Hosting", "Cli"];

    public static TheoryData<string> Folders => [.. Order];

    [Theory]
    [MemberData(nameof(Folders))]
    public void A_folder_uses_no_folder_after_it(string folder)
    {
        var later = Order.SkipWhile(f => f != folder).Skip(1).Select(f => "Shardgate." + f).ToArray();
        if (later.Length == 0)
        {
            return;
        }

        var result = Types.InAssembly(typeof(GatewayApplication).Assembly)
            .That().ResideInNamespace("Shardgate." + folder)
            .ShouldNot().HaveDependencyOnAny(later)
            .GetResult();

        Assert.True(result.IsSuccessful, $"Shardgate.{folder} may use only {string.Join(", ", Order.TakeWhile(f => f != folder))}; these types use a later folder: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Every_folder_has_a_place_in_the_order()
    {
        var folders = typeof(GatewayApplication).Assembly.GetTypes()
            .Select(t => t.Namespace?.Split('.'))
            .Where(parts => parts is { Length: > 1 } && parts[0] == "Shardgate")
            .Select(parts => parts![1])
            .Distinct();

        Assert.All(folders, folder => Assert.Contains(folder, Order));
    }

    [Fact]
    public void The_rule_sees_a_dependency_that_exists()
    {
        // The forwarder uses Routing: were the check blind (wrong namespaces, types not found), this would pass.
        var result = Types.InAssembly(typeof(GatewayApplication).Assembly)
            .That().ResideInNamespace("Shardgate.Upstream")
            .ShouldNot().HaveDependencyOn("Shardgate.Routing")
            .GetResult();

        Assert.False(result.IsSuccessful);
    }
}
