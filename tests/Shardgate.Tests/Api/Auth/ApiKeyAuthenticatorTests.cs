using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shardgate.Api.Auth;
using Shardgate.Ledger;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api.Auth;

public sealed class ApiKeyAuthenticatorTests
{
    private readonly CountingAccountStore _store = new();
    private readonly FakeTimeProvider _time = new();
    private const string AdminKey = "the-admin-key";
    private readonly ApiKeyAuthenticator _authenticator;

    public ApiKeyAuthenticatorTests() =>
        _authenticator = new ApiKeyAuthenticator(_store, Options, _time, new AdminKeyVerifier(Options), new FailedAuthLimiter(Options, _time, NullLogger<FailedAuthLimiter>.Instance), Shardgate.Kernel.NoReplicaBus.Instance);

    private static AuthOptions Options { get; } = new() { AdminKey = AdminKey, KeyCacheTtl = TimeSpan.FromSeconds(10), FailedKeyCacheTtl = TimeSpan.FromSeconds(5), MaxFailedAuthPerMinute = 3 };

    [Fact]
    public async Task A_verified_key_is_served_from_cache_until_the_ttl_passes()
    {
        var key = ApiKeyMaterial.NewKey();
        var record = _store.Add(key, accountId: 7);

        var first = await IdentityAsync(key);
        var second = await IdentityAsync(key);
        Assert.Equal(new KeyIdentity(record.Id, 7, record.DisplayPrefix, KeyLimits.None), first);
        Assert.Equal(first, second);
        Assert.Equal(1, _store.Lookups);

        _time.Advance(TimeSpan.FromSeconds(11));
        await IdentityAsync(key);
        Assert.Equal(2, _store.Lookups);
    }

    [Fact]
    public async Task A_key_revoked_elsewhere_stops_working_within_one_ttl()
    {
        var key = ApiKeyMaterial.NewKey();
        var record = _store.Add(key);
        Assert.NotNull(await IdentityAsync(key));

        _store.Revoke(record.Id);
        _time.Advance(TimeSpan.FromSeconds(11));

        Assert.Null(await IdentityAsync(key));
    }

    [Fact]
    public async Task Invalidate_forgets_a_key_at_once()
    {
        var key = ApiKeyMaterial.NewKey();
        var record = _store.Add(key);
        await IdentityAsync(key);

        _store.Revoke(record.Id);
        _authenticator.Invalidate(record.Hash);

        Assert.Null(await IdentityAsync(key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-prefixed")]
    [InlineData("sg-unknown")]
    public async Task Unknown_or_malformed_keys_are_refused(string? key)
    {
        Assert.Null(await IdentityAsync(key));
        Assert.Equal(key == "sg-unknown" ? 1 : 0, _store.Lookups);
    }

    [Theory]
    [InlineData("Authorization", "Bearer the-admin-key")]
    [InlineData("x-api-key", "the-admin-key")]
    public async Task The_admin_key_is_known_as_admin_without_a_key_lookup(string header, string value)
    {
        var caller = await _authenticator.IdentifyAsync(Request(header, value), default);

        Assert.Equal(new Caller(IsAdmin: true, null), caller);
        Assert.Equal(0, _store.Lookups);
    }

    [Fact]
    public async Task An_api_key_in_x_api_key_is_verified_like_a_bearer_token()
    {
        var key = ApiKeyMaterial.NewKey();
        _store.Add(key, accountId: 3);

        var caller = await _authenticator.IdentifyAsync(Request("x-api-key", key), default);

        Assert.False(caller.IsAdmin);
        Assert.Equal(3, caller.Identity?.AccountId);
    }

    [Fact]
    public async Task An_unknown_key_is_remembered_for_a_short_time_instead_of_looked_up_each_time()
    {
        var key = ApiKeyMaterial.NewKey();

        Assert.Null(await IdentityAsync(key, "10.0.0.1"));
        Assert.Null(await IdentityAsync(key, "10.0.0.2"));
        Assert.Equal(1, _store.Lookups);

        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Null(await IdentityAsync(key, "10.0.0.3"));
        Assert.Equal(2, _store.Lookups);
    }

    [Fact]
    public async Task An_address_over_its_failed_authentication_limit_gets_429_without_lookups_until_the_minute_ends()
    {
        for (var i = 0; i < 3; i++)
        {
            await _authenticator.IdentifyAsync(Request("Authorization", "Bearer " + ApiKeyMaterial.NewKey(), "10.0.0.9"), default);
        }

        var lookups = _store.Lookups;
        var caller = await _authenticator.IdentifyAsync(Request("Authorization", "Bearer " + ApiKeyMaterial.NewKey(), "10.0.0.9"), default);

        Assert.Equal(lookups, _store.Lookups);
        var refusal = caller.Refusal!;
        Assert.Equal(429, refusal.Error.Status);
        Assert.InRange(refusal.RetryAfterSeconds!.Value, 1, 60);
        // Another address is not held back by this one.
        var other = ApiKeyMaterial.NewKey();
        _store.Add(other);
        Assert.NotNull(await IdentityAsync(other, "10.0.0.10"));

        _time.Advance(TimeSpan.FromMinutes(1));
        var fresh = ApiKeyMaterial.NewKey();
        _store.Add(fresh);
        Assert.NotNull(await IdentityAsync(fresh, "10.0.0.9"));
    }

    [Fact]
    public async Task A_key_verified_before_its_address_was_locked_out_still_passes()
    {
        var key = ApiKeyMaterial.NewKey();
        _store.Add(key);
        Assert.NotNull(await IdentityAsync(key, "10.0.0.7"));
        for (var i = 0; i < 5; i++)
        {
            await IdentityAsync("sg-wrong-" + i, "10.0.0.7");
        }

        Assert.NotNull(await IdentityAsync(key, "10.0.0.7"));
    }

    [Fact]
    public async Task The_admin_key_is_refused_as_an_api_key_with_a_message_saying_so()
    {
        var caller = await _authenticator.IdentifyAsync(Request("Authorization", "Bearer " + AdminKey), default);

        Assert.Null(caller.Identity);
        Assert.Equal(401, caller.Refusal!.Error.Status);
        Assert.Contains("not an API key", caller.Refusal.Error.Message, StringComparison.Ordinal);
    }

    private async Task<KeyIdentity?> IdentityAsync(string? key, string address) =>
        (await _authenticator.IdentifyAsync(Request("Authorization", key is null ? null : "Bearer " + key, address), default)).Identity;

    private async Task<KeyIdentity?> IdentityAsync(string? key) =>
        (await _authenticator.IdentifyAsync(Request("Authorization", key is null ? null : "Bearer " + key), default)).Identity;

    private static HttpRequest Request(string header, string? value, string address = "127.0.0.1")
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(address);
        if (value is not null)
        {
            context.Request.Headers[header] = value;
        }

        return context.Request;
    }
}
