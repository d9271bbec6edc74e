using System.CommandLine;

namespace Shardgate.Cli;

/// <summary>
/// Runs an admin command with its <see cref="CliContext"/> and turns failures into the CLI's exit codes:
/// 1 with the gateway's message when the gateway refused or was unreachable, 2 for a usage error.
/// </summary>
internal static class AdminAction
{
    public const int GatewayError = 1;
    public const int UsageError = 2;

    public static void Set(Command command, GlobalOptions options, Func<CliContext, ParseResult, CancellationToken, Task> run) =>
        command.SetAction((parse, cancellationToken) => ExitCodeAsync(async () =>
        {
            using var context = CliContext.From(parse, options);
            await run(context, parse, cancellationToken);
        }));

    /// <summary>0 when <paramref name="run"/> finishes; 1 or 2, with the message on standard error, when it fails as a command can.</summary>
    public static async Task<int> ExitCodeAsync(Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (GatewayCallException ex)
        {
            WriteError(ex.Message);
            return GatewayError;
        }
        catch (CliUsageException ex)
        {
            WriteError(ex.Message);
            return UsageError;
        }
    }

    // Plain text, never wrapped: scripts read the message from standard error.
    public static void WriteError(string message) => Console.Error.WriteLine($"error: {message}");
}
