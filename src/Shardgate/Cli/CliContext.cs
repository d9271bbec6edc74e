using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Shardgate.Cli;

/// <summary>
/// What every admin command shares: the gateway's URL, the admin key (from the environment or a file, never from
/// an argument that shell history would keep), and whether to print JSON for scripts or tables for people.
/// </summary>
internal sealed class CliContext : IDisposable
{
    // Relaxed escaping prints "+00:00" and "<" as themselves: the output is read by people and jq, not embedded in HTML.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private CliContext(AdminClient admin, bool json, IAnsiConsole console)
    {
        Admin = admin;
        Json = json;
        Console = console;
    }

    public AdminClient Admin { get; }

    /// <summary>Print the gateway's JSON as it came, for scripts; tables otherwise.</summary>
    public bool Json { get; }

    public IAnsiConsole Console { get; }

    public static CliContext From(ParseResult parse, GlobalOptions options)
    {
        var baseUrl = GatewayUrl.Resolve(parse.GetValue(options.Url));
        var key = ReadAdminKey(parse.GetValue(options.AdminKeyFile));
        return new CliContext(new AdminClient(baseUrl, key), parse.GetValue(options.Json), CreateConsole());
    }

    public static void WriteJson(JsonNode node) => System.Console.Out.WriteLine(node.ToJsonString(Indented));

    public void Dispose() => Admin.Dispose();

    /// <summary>
    /// Spectre's console, whose tables are as wide as the terminal. Piped into a file or a pager there is no terminal,
    /// so they take <c>$COLUMNS</c>, or 200, instead of wrapping every id at 80 as a guess would.
    /// </summary>
    private static IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected)
        {
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : 200;
        }

        return console;
    }

    private static string ReadAdminKey(FileInfo? file)
    {
        if (file is not null)
        {
            return file.Exists
                ? File.ReadAllText(file.FullName).Trim()
                : throw new CliUsageException($"--admin-key-file: {file.FullName} does not exist");
        }

        return Environment.GetEnvironmentVariable("SHARDGATE_ADMIN_KEY") is { Length: > 0 } key
            ? key
            : throw new CliUsageException("set SHARDGATE_ADMIN_KEY to the gateway's admin key (or pass --admin-key-file PATH)");
    }
}
