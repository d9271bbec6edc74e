using Microsoft.Extensions.Time.Testing;
using Shardgate.Api.Auth;
using Shardgate.Hosting;
using Shardgate.Ledger;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api.Auth;

public sealed class ApiKeyAuthenticatorTests
{
    private readonly CountingAccountStore _store = new();
    private readonly FakeTimeProvider _time = new();
    private readonly ApiKeyAuthenticator _authenticator;

    public ApiKeyAuthenticatorTests() =>
        _authenticator = new ApiKeyAuthenticator(_store, new ShardgateOptions { KeyCacheTtl = TimeSpan.FromSeconds(10) }, _time);

    [Fact]
    public async Task A_verified_key_is_served_from_cache_until_the_ttl_passes()
    {
        var key = ApiKeyMaterial.NewKey();
        var record = _store.Add(key, accountId: 7);

        var first = await _authenticator.AuthenticateAsync(key, default);
        var second = await _authenticator.AuthenticateAsync(key, default);
        Assert.Equal(new KeyIdentity(record.Id, 7, record.DisplayPrefix, KeyLimits.None), first);
        Assert.Equal(first, second);
        Assert.Equal(1, _store.Lookups);

        _time.Advance(TimeSpan.FromSeconds(11));
        await _authenticator.AuthenticateAsync(key, default);
        Assert.Equal(2, _store.Lookups);
    }

    [Fact]
    public async Task A_key_revoked_elsewhere_stops_working_within_one_ttl()
    {
        var key = ApiKeyMaterial.NewKey();
        var record = _store.Add(key);
        Assert.NotNull(await _authenticator.AuthenticateAsync(key, default));

        _store.Revoke(record.Id);
        _time.Advance(TimeSpan.FromSeconds(11));

        Assert.Null(await _authenticator.AuthenticateAsync(key, default));
    }

    [Fact]
    public async Task Invalidate_forgets_a_key_at_once()
    {
        var key = ApiKeyMaterial.NewKey();
        var record = _store.Add(key);
        await _authenticator.AuthenticateAsync(key, default);

        _store.Revoke(record.Id);
        _authenticator.Invalidate(record.Hash);

        Assert.Null(await _authenticator.AuthenticateAsync(key, default));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-prefixed")]
    [InlineData("sg-unknown")]
    public async Task Unknown_or_malformed_keys_are_refused(string? key)
    {
        Assert.Null(await _authenticator.AuthenticateAsync(key, default));
        Assert.Equal(key == "sg-unknown" ? 1 : 0, _store.Lookups);
    }
}
