namespace Shardgate.Api.Admin;

/// <summary>
/// The process as the runtime sees it: garbage collections and their total pause, the managed heap, and the thread
/// pool (threads, queued work). Read twice, the differences say whether a latency spike was a GC pause or work
/// waiting for a thread. <see cref="InlineIo"/> says whether I/O continuations run on the socket threads.
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
        Hosting.InlineIo.Enabled);
}
