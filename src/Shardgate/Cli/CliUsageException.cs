namespace Shardgate.Cli;

/// <summary>The command line asks for something that cannot be done as written: the CLI prints it and exits 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
