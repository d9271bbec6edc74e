using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shardgate.Admission;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Admission;

public abstract class RateLimitEndToEndTests
{
    protected abstract Backend Backend { get; }

    private const string Qwen = ModelFamilies.QwenModelId;

    [BackendFact]
    public async Task A_key_limited_to_60_rpm_gets_60_answers_then_429_with_retry_after_and_ratelimit_headers()
    {
        // The key's buckets on a clock that stands still: 61 requests in a row, however long a busy machine takes.
        var clock = new FakeTimeProvider();
        await using var harness = await GatewayHarness.StartAsync(Backend, services => services.AddSingleton(new KeyRateLimiter(clock)));
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var key = await CreateKeyAsync(harness, new JsonObject { ["requests_per_minute"] = 60 });
        using var client = harness.CreateClient(key);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 61; i++)
        {
            last?.Dispose();
            last = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"r{i} [[sim:tokens=2]]"));
            statuses.Add(last.StatusCode);
        }

        using (last)
        {
            Assert.Equal(60, statuses.Count(s => s == HttpStatusCode.OK));
            Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
            Assert.Equal("1", last!.Headers.GetValues("Retry-After").Single());
            Assert.Equal("60", last.Headers.GetValues("x-ratelimit-limit-requests").Single());
            Assert.Equal("0", last.Headers.GetValues("x-ratelimit-remaining-requests").Single());
            Assert.Equal("rate_limit_exceeded", (await last.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        }
    }

    [BackendFact]
    public async Task Limits_can_be_changed_and_a_model_allowlist_forbids_other_models()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var account = await harness.Admin.PostAsJsonAsync("/admin/v1/accounts", new JsonObject { ["name"] = "a" });
        var accountId = (await account.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        using var created = await harness.Admin.PostAsync($"/admin/v1/accounts/{accountId}/keys", null);
        var key = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        using var client = harness.CreateClient(key["key"]!.GetValue<string>());

        using (var set = await harness.Admin.PutAsJsonAsync($"/admin/v1/accounts/{accountId}/keys/{key["id"]}/limits", new JsonObject { ["models"] = new JsonArray("moonshotai/Kimi-K2.6") }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        using var forbidden = await client.PostChatAsync(ChatBodies.Simple(Qwen));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("model_not_allowed", (await forbidden.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());

        using var invalid = await harness.Admin.PutAsJsonAsync($"/admin/v1/accounts/{accountId}/keys/{key["id"]}/limits", new JsonObject { ["requests_per_minute"] = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    private static async Task<string> CreateKeyAsync(GatewayHarness harness, JsonObject limits)
    {
        using var account = await harness.Admin.PostAsJsonAsync("/admin/v1/accounts", new JsonObject { ["name"] = "limited" });
        var id = (await account.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        using var key = await harness.Admin.PostAsJsonAsync($"/admin/v1/accounts/{id}/keys", new JsonObject { ["limits"] = limits });
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        var created = (await key.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(60, created["limits"]!["requests_per_minute"]!.GetValue<int>());
        return created["key"]!.GetValue<string>();
    }
}

// The suite, once per backend: SQLite always, PostgreSQL when SHARDGATE_TEST_POSTGRES names a server.
public sealed class RateLimitEndToEndTestsOnSqlite : RateLimitEndToEndTests
{
    protected override Backend Backend => Backend.Sqlite;
}

public sealed class RateLimitEndToEndTestsOnPostgres : RateLimitEndToEndTests, IRunsOnPostgres
{
    protected override Backend Backend => Backend.Postgres;
}
