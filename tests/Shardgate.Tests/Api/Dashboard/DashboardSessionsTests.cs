using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Shardgate.Api.Auth;
using Shardgate.Api.Dashboard;

namespace Shardgate.Tests.Api.Dashboard;

public sealed class DashboardSessionsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_session_lasts_its_lifetime_and_not_a_second_more()
    {
        var sessions = Sessions("admin");
        var (cookie, csrf, expires) = sessions.Issue();

        Assert.True(sessions.TryRead(Request(cookie), out var read, out var until));
        Assert.Equal(csrf, read);
        Assert.Equal(expires, until);

        _time.Advance(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        Assert.True(sessions.TryRead(Request(cookie), out _, out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(sessions.TryRead(Request(cookie), out _, out _));
    }

    [Fact]
    public void Rotating_the_admin_key_ends_every_session()
    {
        var (cookie, _, _) = Sessions("old-key").Issue();

        Assert.False(Sessions("new-key").TryRead(Request(cookie), out _, out _));
        Assert.True(Sessions("old-key").TryRead(Request(cookie), out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("a.b")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_forged_or_malformed_cookie_is_no_session(string cookie) =>
        Assert.False(Sessions("admin").TryRead(Request(cookie), out _, out _));

    [Fact]
    public void A_cookie_with_a_later_expiry_spliced_in_fails_its_signature()
    {
        var sessions = Sessions("admin");
        var (cookie, _, _) = sessions.Issue();
        var dot = cookie.IndexOf('.', StringComparison.Ordinal);
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(cookie.AsSpan(0, dot));
        payload[7]++;
        var forged = System.Buffers.Text.Base64Url.EncodeToString(payload) + cookie[dot..];

        Assert.False(sessions.TryRead(Request(forged), out _, out _));
    }

    [Fact]
    public void Each_session_has_its_own_csrf_token()
    {
        var sessions = Sessions("admin");

        Assert.NotEqual(sessions.Issue().Csrf, sessions.Issue().Csrf);
    }

    private DashboardSessions Sessions(string adminKey) => new(new AuthOptions { AdminKey = adminKey }, _time);

    private static HttpRequest Request(string cookie)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = $"{DashboardSessions.CookieName}={cookie}";
        return context.Request;
    }
}
