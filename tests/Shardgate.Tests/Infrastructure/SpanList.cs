using System.Collections;
using System.Diagnostics;

namespace Shardgate.Tests.Infrastructure;

/// <summary>A thread-safe list for the OpenTelemetry in-memory exporter, which adds each span from whatever thread ends it.</summary>
internal sealed class SpanList : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(Activity item)
    {
        lock (_gate)
        {
            _spans.Add(item);
        }
    }

    public List<Activity> Snapshot()
    {
        lock (_gate)
        {
            return [.. _spans];
        }
    }

    /// <summary>Waits (bounded) until a span matching <paramref name="match"/> has ended; spans end after the response's last byte.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match)
    {
        // Bounded at 30 s, for a machine busy with other work; the span normally ends within milliseconds.
        for (var i = 0; i < 1200; i++)
        {
            if (Snapshot().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("no such span ended");
    }

    public void Clear()
    {
        lock (_gate)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item) => Snapshot().Contains(item);

    public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

    public bool Remove(Activity item)
    {
        lock (_gate)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
