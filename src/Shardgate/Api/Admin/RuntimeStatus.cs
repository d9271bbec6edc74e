namespace Shardgate.Api.Admin;

/// <summary>
/// The process as the runtime sees it: garbage collections and their total pause, the managed heap, and the thread
/// pool (threads, queued work), and the JIT (methods compiled, time spent compiling). Read twice, the differences say
/// whether a latency spike was a GC pause, work waiting for a thread, or code still being compiled (tiered
/// compilation recompiles hot methods a while after they first run). <see cref="InlineIo"/> says whether I/O
/// continuations run on the socket threads.
/// </summary>
internal sealed record RuntimeStatus(
    double GcPauseTotalMs,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long HeapBytes,
    long AllocatedBytes,
    int ThreadPoolThreads,
    long ThreadPoolQueued,
    long ThreadPoolCompleted,
    long JitMethods,
    double JitTimeMs,
    bool InlineIo)
{
    public static RuntimeStatus Now() => new(
        GC.GetTotalPauseDuration().TotalMilliseconds,
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        GC.GetTotalMemory(forceFullCollection: false),
        GC.GetTotalAllocatedBytes(),
        ThreadPool.ThreadCount,
        ThreadPool.PendingWorkItemCount,
        ThreadPool.CompletedWorkItemCount,
        System.Runtime.JitInfo.GetCompiledMethodCount(),
        System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
        Kernel.InlineIo.Enabled);
}
