namespace Shardgate.Kernel;

/// <summary>
/// Where the gateway's I/O continuations run: on the thread pool (the default), or, when the operator opts in with
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, inline on the socket engine's threads, one per core,
/// together with Kestrel's transport and the request code. Inline saves a thread wake-up per completion (about
/// 0.05 ms at concurrency 1 on 2 cores; see docs/benchmarks.md), but every socket an engine thread serves then waits
/// behind whatever runs on it, and the request path has synchronous storage work underneath (SQLite log appends,
/// ledger writes, spool writes, a 30 s <c>busy_timeout</c>): one slow disk write would stall a core's worth of
/// streams. For hosts that answer in hundreds of milliseconds that trade is not worth it, so it is off unless asked
/// for. The runtime reads the switch from the environment once, when the first socket is created.
/// </summary>
internal static class InlineIo
{
    public const string CompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    public const string ThreadsVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>Whether socket completions run inline in this process; Kestrel then schedules inline as well.</summary>
    public static bool Enabled => IsEnabled(Environment.GetEnvironmentVariable);

    /// <summary>When the operator opted in, gives the engine a thread per core. Call before any socket exists.</summary>
    public static void ApplyDefaults() =>
        ApplyDefaults(Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable, Environment.ProcessorCount);

    internal static void ApplyDefaults(Func<string, string?> read, Action<string, string> write, int processorCount)
    {
        // The engine threads then do the requests' work too: one per core, where the runtime's default is one in
        // all below 30 cores.
        if (IsEnabled(read) && read(ThreadsVariable) is null)
        {
            write(ThreadsVariable, Math.Max(1, processorCount).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    internal static bool IsEnabled(Func<string, string?> read) => read(CompletionsVariable) == "1";
}
