using System.CommandLine;

namespace Shardgate.Cli;

/// <summary>
/// Options every admin command takes, declared once and added to each admin command group, whose subcommands
/// inherit them (<c>serve</c>, <c>demo</c> and <c>sim</c> do not take them).
/// </summary>
internal sealed class GlobalOptions
{
    public Option<string?> Url { get; } = new("--url")
    {
        Description = GatewayUrl.Description,
        Recursive = true,
    };

    public Option<FileInfo?> AdminKeyFile { get; } = new("--admin-key-file")
    {
        Description = "Read the admin key from this file instead of $SHARDGATE_ADMIN_KEY",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the gateway's JSON instead of tables, for scripts",
        Recursive = true,
    };

    public Command AddTo(Command group)
    {
        group.Add(Url);
        group.Add(AdminKeyFile);
        group.Add(Json);
        return group;
    }
}
