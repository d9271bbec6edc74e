namespace Shardgate.Routing;

/// <summary>
/// A host's last <see cref="Capacity"/> failures, newest first. Per replica and in memory: it explains a health
/// state to the operator looking at this replica, while the state itself is shared and persisted.
/// </summary>
internal sealed class RecentFailures
{
    public const int Capacity = 20;

    private readonly Queue<HostFailure> _failures = new(Capacity);
    private readonly Lock _gate = new();

    public void Add(HostFailure failure)
    {
        lock (_gate)
        {
            if (_failures.Count == Capacity)
            {
                _failures.Dequeue();
            }

            _failures.Enqueue(failure);
        }
    }

    public IReadOnlyList<HostFailure> Newest()
    {
        lock (_gate)
        {
            return [.. _failures.Reverse()];
        }
    }
}
