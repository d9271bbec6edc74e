using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api;

public abstract class AdminRequestLogTests
{
    protected abstract Backend Backend { get; }

    [BackendFact]
    public async Task The_request_log_is_filtered_by_key_model_and_status_and_paged()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var (_, first) = await harness.CreateAccountWithKeyAsync("first");
        var (_, second) = await harness.CreateAccountWithKeyAsync("second");
        using var a = harness.CreateClient(first);
        using var b = harness.CreateClient(second);
        string? lastId = null;
        for (var i = 0; i < 5; i++)
        {
            using var ok = await a.PostChatAsync(ChatBodies.Simple(ModelFamilies.QwenModelId, $"a{i}"));
            lastId = ok.Headers.GetValues("X-Request-Id").Single();
        }

        using (var missing = await a.PostChatAsync(ChatBodies.Simple("nope")))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var other = await b.PostChatAsync(ChatBodies.Simple(ModelFamilies.QwenModelId)))
        {
            await harness.WaitForLogRowAsync(other.Headers.GetValues("X-Request-Id").Single());
        }

        var firstKeyId = (await harness.Admin.GetFromJsonAsync<JsonObject>($"/admin/v1/requests/{lastId}"))!["key_id"]!.GetValue<long>();
        var page1 = (await harness.Admin.GetFromJsonAsync<JsonObject>($"/admin/v1/requests?key_id={firstKeyId}&status=200&limit=3"))!;
        var page2 = (await harness.Admin.GetFromJsonAsync<JsonObject>($"/admin/v1/requests?key_id={firstKeyId}&status=200&limit=3&before={page1["next"]}"))!;
        var notFound = (await harness.Admin.GetFromJsonAsync<JsonObject>($"/admin/v1/requests?key_id={firstKeyId}&status=404"))!;

        Assert.Equal(3, page1["data"]!.AsArray().Count);
        Assert.Equal(lastId, page1["data"]![0]!["request_id"]!.GetValue<string>());
        Assert.Equal(2, page2["data"]!.AsArray().Count);
        Assert.Null(page2["next"]);
        Assert.Single(notFound["data"]!.AsArray());

        using var bad = await harness.Admin.GetAsync("/admin/v1/requests?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [BackendFact]
    public async Task The_request_log_writer_reports_its_backlog_spool_and_the_rows_it_committed()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var (_, key) = await harness.CreateAccountWithKeyAsync("status");
        using var client = harness.CreateClient(key);
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.PostChatAsync(ChatBodies.Simple(ModelFamilies.QwenModelId, $"s{i}"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var status = (await harness.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/request-log"))!;

        // Successful answers wait for their row to be durable (in the spool over SQLite, committed over PostgreSQL),
        // so all three are in before the third response ends; a read of the log commits the spool.
        Assert.Equal(0, status["backlog"]!.GetValue<int>());
        Assert.Equal(3, status["spooled"]!.GetValue<int>() + status["rows_committed"]!.GetValue<long>());
        using var rows = await harness.Admin.GetAsync("/admin/v1/requests");
        var flushed = (await harness.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/request-log"))!;
        Assert.Equal(0, flushed["spooled"]!.GetValue<int>());
        Assert.Equal(3, flushed["rows_committed"]!.GetValue<long>());
        Assert.InRange(flushed["commits"]!.GetValue<long>(), 1, 3);
    }

    [BackendFact]
    public async Task The_runtime_status_shows_gc_pauses_the_thread_pool_and_the_jit()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);

        var status = (await harness.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/runtime"))!;

        Assert.True(status["gc_pause_total_ms"]!.GetValue<double>() >= 0);
        Assert.True(status["allocated_bytes"]!.GetValue<long>() > 0);
        Assert.True(status["thread_pool_threads"]!.GetValue<int>() > 0);
        Assert.True(status["thread_pool_completed"]!.GetValue<long>() > 0);
        Assert.True(status["jit_methods"]!.GetValue<long>() > 0);
        Assert.True(status["jit_time_ms"]!.GetValue<double>() > 0);
        Assert.False(status["inline_io"]!.GetValue<bool>()); // in-process: only serve and demo switch it on
        using var anonymous = new HttpClient { BaseAddress = harness.BaseUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/v1/runtime")).StatusCode);
    }
}

// The suite, once per backend: SQLite always, PostgreSQL when SHARDGATE_TEST_POSTGRES names a server.
public sealed class AdminRequestLogTestsOnSqlite : AdminRequestLogTests
{
    protected override Backend Backend => Backend.Sqlite;
}

public sealed class AdminRequestLogTestsOnPostgres : AdminRequestLogTests, IRunsOnPostgres
{
    protected override Backend Backend => Backend.Postgres;
}
