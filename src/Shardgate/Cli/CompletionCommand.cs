using System.CommandLine;

namespace Shardgate.Cli;

/// <summary>
/// <c>shardgate completion bash|zsh</c>: a script that asks System.CommandLine's <c>[suggest]</c> directive for
/// completions, so the shell completes every command and option the parser knows, with nothing else installed.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        _shardgate_complete() {
          local IFS=$'\n'
          COMPREPLY=($(shardgate "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null))
        }
        complete -o default -F _shardgate_complete shardgate
        """;

    private const string Zsh = """
        _shardgate_complete() {
          local -a completions
          completions=("${(@f)$(shardgate "[suggest:${#BUFFER}]" "${BUFFER}" 2>/dev/null)}")
          compadd -a completions
        }
        compdef _shardgate_complete shardgate
        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var completion = new Command("completion", "Print a shell completion script: eval \"$(shardgate completion bash)\"") { shell };
        completion.SetAction(parse => Console.WriteLine(parse.GetRequiredValue(shell) == "bash" ? Bash : Zsh));
        return completion;
    }
}
