namespace Shardgate.Kernel;

/// <summary>
/// A configuration problem found while the gateway starts (an unreadable nodes file, an unusable spool directory):
/// the command prints its message and exits with 2, as for a bad argument, instead of an unhandled-exception trace.
/// </summary>
internal sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
