using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Shardgate.Observability;

namespace Shardgate.Api.Auth;

/// <summary>
/// Counts failed authentications per client address in one-minute windows, so a client guessing keys costs neither a
/// database lookup per guess nor a log line per request: refusals are summed and logged at most once a minute.
/// Addresses are the connection's (behind a proxy, the proxy's); the table is bounded and sheds closed windows.
/// </summary>
internal sealed class FailedAuthLimiter(AuthOptions options, TimeProvider time, ILogger<FailedAuthLimiter> logger)
{
    private const int MaxAddresses = 100_000;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<IPAddress, Failures> _byAddress = new();
    private long _refusedSinceLog;
    private long _lastLogTimestamp = long.MinValue;

    /// <summary>Time until <paramref name="address"/> may try again; null when it may try now.</summary>
    public TimeSpan? LockedOut(IPAddress? address)
    {
        if (address is null || !_byAddress.TryGetValue(address, out var failures))
        {
            return null;
        }

        var now = time.GetTimestamp();
        var wait = failures.LockedFor(now, options.MaxFailedAuthPerMinute, time);
        if (wait is null)
        {
            return null;
        }

        Interlocked.Increment(ref _refusedSinceLog);
        LogAtMostOncePerMinute(now, address);
        return wait;
    }

    public void Failed(IPAddress? address)
    {
        if (address is null)
        {
            return;
        }

        var now = time.GetTimestamp();
        if (_byAddress.Count >= MaxAddresses)
        {
            Shed(now);
        }

        _byAddress.GetOrAdd(address, static (_, now) => new Failures(now), now).Add(now, time);
    }

    private void Shed(long now)
    {
        foreach (var (address, failures) in _byAddress)
        {
            if (failures.Closed(now, time))
            {
                _byAddress.TryRemove(address, out _);
            }
        }
    }

    private void LogAtMostOncePerMinute(long now, IPAddress address)
    {
        var last = Interlocked.Read(ref _lastLogTimestamp);
        if (last != long.MinValue && time.GetElapsedTime(last, now) < Window)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastLogTimestamp, now, last) == last)
        {
            GatewayLog.FailedAuthThrottled(logger, Interlocked.Exchange(ref _refusedSinceLog, 0), address.ToString());
        }
    }

    private sealed class Failures(long windowStart)
    {
        private readonly Lock _gate = new();
        private long _windowStart = windowStart;
        private int _count;

        public void Add(long now, TimeProvider time)
        {
            lock (_gate)
            {
                if (time.GetElapsedTime(_windowStart, now) >= Window)
                {
                    (_windowStart, _count) = (now, 0);
                }

                _count++;
            }
        }

        public TimeSpan? LockedFor(long now, int limit, TimeProvider time)
        {
            lock (_gate)
            {
                var elapsed = time.GetElapsedTime(_windowStart, now);
                return elapsed < Window && _count >= limit ? Window - elapsed : null;
            }
        }

        public bool Closed(long now, TimeProvider time)
        {
            lock (_gate)
            {
                return time.GetElapsedTime(_windowStart, now) >= Window;
            }
        }
    }
}
