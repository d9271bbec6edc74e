namespace Shardgate.Hosting;

/// <summary>
/// Where the gateway's I/O continuations run. A request's work is short and never blocks on another request, so
/// the gateway process runs socket completions, Kestrel's transport and the request code on the socket engine's
/// threads, one per core, instead of handing each completion to the thread pool: on 2 cores that took about a tenth
/// off the CPU per request and brought the added latency at concurrency 1 below the naive pass-through's (see
/// docs/benchmarks.md). The runtime reads these switches from the environment once, when the first socket is
/// created, so they are set at the start of <c>serve</c> and <c>demo</c>, and only where the operator set nothing:
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c> keeps the thread pool.
/// </summary>
internal static class InlineIo
{
    public const string CompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    public const string ThreadsVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>Whether socket completions run inline in this process; Kestrel then schedules inline as well.</summary>
    public static bool Enabled => IsEnabled(Environment.GetEnvironmentVariable);

    /// <summary>Turns inline I/O on for this process unless the operator decided. Call before any socket exists.</summary>
    public static void ApplyDefaults() =>
        ApplyDefaults(Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable, Environment.ProcessorCount);

    internal static void ApplyDefaults(Func<string, string?> read, Action<string, string> write, int processorCount)
    {
        if (read(CompletionsVariable) is null)
        {
            write(CompletionsVariable, "1");
        }

        // The engine threads now do the requests' work too: one per core, where the runtime's default is one in all
        // below 30 cores.
        if (IsEnabled(read) && read(ThreadsVariable) is null)
        {
            write(ThreadsVariable, Math.Max(1, processorCount).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    internal static bool IsEnabled(Func<string, string?> read) => read(CompletionsVariable) == "1";
}
