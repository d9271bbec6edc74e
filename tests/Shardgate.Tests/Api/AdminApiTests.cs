using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api;

public abstract class AdminApiTests : IAsyncLifetime
{
    protected abstract Backend Backend { get; }

    private GatewayHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync(Backend);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static JsonObject Node(string id, int port = 5000) => new()
    {
        ["id"] = id,
        ["host"] = "127.0.0.1",
        ["inference_port"] = port,
        ["max_concurrent"] = 4,
        ["models"] = new JsonObject { ["m/one"] = new JsonObject { ["args"] = new JsonArray("--max-model-len", "4096") } },
        ["hardware"] = new JsonArray(new JsonObject { ["type"] = "NVIDIA H100 80GB", ["count"] = 8 }),
    };

    [BackendFact]
    public async Task Nodes_are_created_read_replaced_and_deleted()
    {
        using var created = await _harness.Admin.PostAsJsonAsync("/admin/v1/nodes", Node("n1"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var stored = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(1.0, stored["weight"]!.GetValue<double>());
        Assert.True(stored["enabled"]!.GetValue<bool>());
        Assert.Equal("NVIDIA H100 80GB", stored["hardware"]![0]!["type"]!.GetValue<string>());

        var replacement = Node("n1", 5001);
        replacement["weight"] = 2.5;
        using var replaced = await _harness.Admin.PutAsJsonAsync("/admin/v1/nodes/n1", replacement);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);

        var read = (await _harness.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/nodes/n1"))!;
        Assert.Equal(5001, read["inference_port"]!.GetValue<int>());
        Assert.Equal(2.5, read["weight"]!.GetValue<double>());
        Assert.Single((await _harness.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/nodes"))!);

        using var deleted = await _harness.Admin.DeleteAsync("/admin/v1/nodes/n1");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using var gone = await _harness.Admin.GetAsync("/admin/v1/nodes/n1");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [BackendFact]
    public async Task A_put_creates_when_the_node_is_new_and_takes_its_id_from_the_path()
    {
        var node = Node("ignored");
        node.Remove("id");
        using var response = await _harness.Admin.PutAsJsonAsync("/admin/v1/nodes/from-path", node);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("from-path", (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
    }

    [BackendFact]
    public async Task Validation_reports_every_problem_at_once()
    {
        var bad = new JsonObject { ["id"] = "bad id!", ["inference_port"] = 70000, ["max_concurrent"] = 0, ["weight"] = -1 };
        using var response = await _harness.Admin.PostAsJsonAsync("/admin/v1/nodes", bad);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["message"]!.GetValue<string>();
        foreach (var expected in new[] { "id may hold only", "host is required", "inference_port must be between 1 and 65535, got 70000", "max_concurrent must be greater than 0", "weight must be a positive", "at least one model" })
        {
            Assert.Contains(expected, message, StringComparison.Ordinal);
        }
    }

    [BackendFact]
    public async Task An_unknown_field_is_refused_with_its_name()
    {
        var node = Node("typo");
        node["inference_prot"] = 5000;
        using var response = await _harness.Admin.PostAsJsonAsync("/admin/v1/nodes", node);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("inference_prot", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [BackendFact]
    public async Task Two_nodes_cannot_share_an_endpoint()
    {
        using var first = await _harness.Admin.PostAsJsonAsync("/admin/v1/nodes", Node("a", 6000));
        using var second = await _harness.Admin.PostAsJsonAsync("/admin/v1/nodes", Node("b", 6000));

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("already used by node 'a'", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [BackendFact]
    public async Task Malformed_admin_json_is_a_400_not_a_500()
    {
        using var content = new StringContent("{\"id\": ", Encoding.UTF8, "application/json");
        using var response = await _harness.Admin.PostAsync("/admin/v1/nodes", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_json", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }

    [BackendFact]
    public async Task Enable_and_disable_of_an_unknown_node_is_404()
    {
        using var response = await _harness.Admin.PostAsync("/admin/v1/nodes/missing/enable", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [BackendFact]
    public async Task A_wrong_admin_key_is_401_and_an_api_key_is_not_an_admin_key()
    {
        var apiKey = await _harness.CreateApiKeyAsync();
        foreach (var key in new[] { "wrong", apiKey })
        {
            using var client = _harness.CreateClient(key);
            using var response = await client.GetAsync("/admin/v1/nodes");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [BackendFact]
    public async Task A_new_key_works_at_once_and_a_revoked_key_stops_at_once()
    {
        await _harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var account = await _harness.Admin.PostAsJsonAsync("/admin/v1/accounts", new JsonObject { ["name"] = "acme" });
        Assert.Equal(HttpStatusCode.Created, account.StatusCode);
        var accountId = (await account.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        using var keyResponse = await _harness.Admin.PostAsync($"/admin/v1/accounts/{accountId}/keys", null);
        var key = (await keyResponse.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.StartsWith("sg-", key["key"]!.GetValue<string>(), StringComparison.Ordinal);

        using var client = _harness.CreateClient(key["key"]!.GetValue<string>());
        using (var ok = await client.PostChatAsync(ChatBodies.Simple(ModelFamilies.QwenModelId)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var listed = (await _harness.Admin.GetFromJsonAsync<JsonArray>($"/admin/v1/accounts/{accountId}/keys"))!;
        Assert.DoesNotContain("key", listed[0]!.AsObject().Select(p => p.Key));
        using var revoke = await _harness.Admin.PostAsync($"/admin/v1/accounts/{accountId}/keys/{key["id"]}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        using var refused = await client.PostChatAsync(ChatBodies.Simple(ModelFamilies.QwenModelId));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [BackendFact]
    public async Task An_account_needs_a_name_and_unknown_accounts_are_404()
    {
        using var nameless = await _harness.Admin.PostAsJsonAsync("/admin/v1/accounts", new JsonObject());
        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        Assert.Equal("name", (await nameless.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["param"]!.GetValue<string>());

        using var missing = await _harness.Admin.PostAsync("/admin/v1/accounts/999/keys", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [BackendFact]
    public async Task Hosts_shows_live_in_flight_counts()
    {
        await _harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var hosts = (await _harness.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/hosts"))!;

        Assert.Equal("q", hosts.Single()!["id"]!.GetValue<string>());
        Assert.Equal(0, hosts.Single()!["in_flight"]!.GetValue<int>());
    }

    [BackendFact]
    public async Task Nodes_survive_a_restart_of_the_gateway()
    {
        using (var created = await _harness.Admin.PostAsJsonAsync("/admin/v1/nodes", Node("durable")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await using var second = await GatewayHarness.StartAsync(Backend, "--Shardgate:Database", _harness.DatabasePath);
        var nodes = (await second.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/nodes"))!;
        Assert.Equal("durable", nodes.Single()!["id"]!.GetValue<string>());
    }
}

// The suite, once per backend: SQLite always, PostgreSQL when SHARDGATE_TEST_POSTGRES names a server.
public sealed class AdminApiTestsOnSqlite : AdminApiTests
{
    protected override Backend Backend => Backend.Sqlite;
}

public sealed class AdminApiTestsOnPostgres : AdminApiTests, IRunsOnPostgres
{
    protected override Backend Backend => Backend.Postgres;
}
