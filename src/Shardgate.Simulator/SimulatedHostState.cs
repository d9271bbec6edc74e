using Shardgate.Simulator.Caching;
using Shardgate.Simulator.Faults;

namespace Shardgate.Simulator;

/// <summary>The mutable side of one simulated host: its injected fault, load and prefix cache.</summary>
internal sealed class SimulatedHostState(SimulatedHostOptions options)
{
    private int _active;
    private int _peakActive;
    private long _requests;
    private long _aborted;
    private long _connections;
    private FaultPlan _fault = FaultPlanParser.TryParse(options.Fault, out var plan, out var error)
        ? plan
        : throw new ArgumentException(error, nameof(options));

    public SimulatedHostOptions Options { get; } = options;

    public PrefixCache PrefixCache { get; } = new(options.PrefixCacheEntries);

    /// <summary>This host's own log-probability drift: two hosts drift apart as two GPUs do.</summary>
    public ulong NoiseSeed { get; } = options.NoiseSeed ?? (ulong)Random.Shared.NextInt64();

    public FaultPlan Fault
    {
        get => Volatile.Read(ref _fault);
        set => Volatile.Write(ref _fault, value);
    }

    public int Active => Volatile.Read(ref _active);

    /// <summary>The most requests that were in generation at once: tests of concurrency limits read it.</summary>
    public int PeakActive => Volatile.Read(ref _peakActive);

    /// <summary>Requests that reached generation (not refused for load, faults or validation).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public bool TryEnter()
    {
        var active = Interlocked.Increment(ref _active);
        if (active > Options.MaxConcurrent)
        {
            Interlocked.Decrement(ref _active);
            return false;
        }

        for (var peak = Volatile.Read(ref _peakActive); active > peak; peak = Volatile.Read(ref _peakActive))
        {
            Interlocked.CompareExchange(ref _peakActive, active, peak);
        }

        return true;
    }

    public void Exit() => Interlocked.Decrement(ref _active);

    public void CountRequest() => Interlocked.Increment(ref _requests);

    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once <see cref="Release"/> is called: what requests with the <c>hold</c> fault wait for.</summary>
    public Task Released => _released.Task;

    public void Release() => _released.TrySetResult();

    /// <summary>Generations cut short because the client (a gateway) closed the connection.</summary>
    public long Aborted => Interlocked.Read(ref _aborted);

    public void CountAborted() => Interlocked.Increment(ref _aborted);

    /// <summary>TCP connections accepted: a client that pools its connections opens few.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    public void CountConnection() => Interlocked.Increment(ref _connections);

    /// <summary>The body of the last chat request, as received: tests compare it with what the gateway meant to send.</summary>
    public byte[] LastRequestBody { get; set; } = [];

    /// <summary>The tracing and correlation headers of the last chat request (<c>traceparent</c>, <c>tracestate</c>, <c>X-Request-Id</c>), by lower-case name.</summary>
    public IReadOnlyDictionary<string, string> LastRequestHeaders { get; set; } = new Dictionary<string, string>();
}
