using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Shardgate.Benchmarks;

/// <summary>
/// The runtime's allocation samples (one <c>GCAllocationTick</c> about every 100 KB allocated), summed by type:
/// which types a run allocates most of, without an external profiler.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public bool Recording { get; set; }

    public IReadOnlyList<KeyValuePair<string, long>> Top(int count) => [.. _bytes.OrderByDescending(p => p.Value).Take(count)];

    public void Clear() => _bytes.Clear();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!Recording || eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.Payload![eventData.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(eventData.Payload[eventData.PayloadNames.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, total) => total + amount);
    }
}
