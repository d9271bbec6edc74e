namespace Shardgate.Cli;

/// <summary>The gateway refused or could not be reached: the CLI prints the message and exits 1.</summary>
internal sealed class GatewayCallException(string message) : Exception(message);
