using System.CommandLine;
using Shardgate.Hosting;

namespace Shardgate.Cli;

/// <summary>
/// Every <c>shardgate</c> command in one System.CommandLine tree: the gateway's own verbs (<c>serve</c>,
/// <c>demo</c>, <c>sim</c>) and the operator's commands that call a running gateway's admin API.
/// Exit codes: 0 ok, 1 the gateway refused (its message printed), 2 a usage error.
/// </summary>
internal static class ShardgateCommandLine
{
    public static RootCommand Create(string[] args)
    {
        var options = new GlobalOptions();
        return new RootCommand("Shardgate: an OpenAI- and Anthropic-compatible broker for decentralized GPU networks.")
        {
            ServeCommand.Create(args),
            DemoCommand.Create(),
            SimCommand.Create(),
            StatusCommand.Create(options),
            NodesCommand.Create(options),
            AccountsCommand.Create(options),
            KeysCommand.Create(options),
            PricesCommand.Create(options),
            UsageCommand.Create(options),
            RequestsCommand.Create(options),
            ParticipantsCommand.Create(options),
            Eval.EvalCommand.Create(),
            CompletionCommand.Create(),
        };
    }

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var parse = Create(args).Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                AdminAction.WriteError(error.Message);
            }

            Console.Error.WriteLine("Run 'shardgate --help', or add --help after a command, for what it takes.");
            return AdminAction.UsageError;
        }

        // Ctrl-C and SIGTERM are the program's to handle (a graceful drain), so the parser installs no handler of its own.
        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancellationToken);
    }
}
