using System.Net;
using Microsoft.Extensions.Time.Testing;
using Shardgate.Api.Auth;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api.Auth;

public sealed class FailedAuthLimiterTests
{
    private static readonly IPAddress Guesser = IPAddress.Parse("192.0.2.1");
    private readonly FakeTimeProvider _time = new();
    private readonly CollectingLogger<FailedAuthLimiter> _log = new();
    private readonly FailedAuthLimiter _limiter;

    public FailedAuthLimiterTests() => _limiter = new FailedAuthLimiter(new AuthOptions { MaxFailedAuthPerMinute = 2 }, _time, _log);

    [Fact]
    public void An_address_is_locked_out_at_its_limit_until_its_minute_is_over()
    {
        _limiter.Failed(Guesser);
        Assert.Null(_limiter.LockedOut(Guesser));
        _limiter.Failed(Guesser);

        Assert.Equal(TimeSpan.FromMinutes(1), _limiter.LockedOut(Guesser));
        _time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(TimeSpan.FromSeconds(15), _limiter.LockedOut(Guesser));
        Assert.Null(_limiter.LockedOut(IPAddress.Parse("192.0.2.2")));

        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Null(_limiter.LockedOut(Guesser));
    }

    [Fact]
    public void Refusals_are_logged_once_a_minute_with_their_count_not_per_request()
    {
        _limiter.Failed(Guesser);
        _limiter.Failed(Guesser);
        for (var i = 0; i < 50; i++)
        {
            _limiter.LockedOut(Guesser);
        }

        Assert.Single(_log.Entries);
        _time.Advance(TimeSpan.FromSeconds(59));
        _limiter.Failed(Guesser);
        _limiter.LockedOut(Guesser);
        Assert.Single(_log.Entries);

        _time.Advance(TimeSpan.FromSeconds(2));
        _limiter.Failed(Guesser);
        _limiter.Failed(Guesser);
        _limiter.LockedOut(Guesser);

        Assert.Equal(2, _log.Entries.Count);
        Assert.Contains("Refused 51 request(s)", _log.Entries.Last().Message, StringComparison.Ordinal);
    }
}
