using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Cli;

/// <summary>The real binary against a gateway on loopback: what an operator types, and what a script reads.</summary>
public sealed class CliEndToEndTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    [Fact]
    public async Task An_operator_creates_an_account_a_key_and_a_credit_and_usage_shows_the_request()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await gateway.SetPriceAsync(Qwen, 1, 4);

        var account = Json(await RunAsync(gateway, "accounts", "create", "acme", "--json"));
        var accountId = account["id"]!.GetValue<long>();
        var key = Json(await RunAsync(gateway, "keys", "create", "--account", accountId.ToString(), "--rpm", "60", "--json"));
        var credited = Json(await RunAsync(gateway, "accounts", "credit", accountId.ToString(), "--amount", "2gnk", "--json"));
        Assert.Equal(60, key["limits"]!["requests_per_minute"]!.GetValue<int>());
        Assert.Equal(2_000_000_000, credited[0]!["balance"]!.GetValue<long>());

        using var client = gateway.CreateClient(key["key"]!.GetValue<string>());
        using var chat = await client.PostChatAsync(ChatBodies.Simple(Qwen, "metered"));
        chat.EnsureSuccessStatusCode();
        await gateway.WaitForLogRowAsync(chat.Headers.GetValues("X-Request-Id").Single());

        var usage = Json(await RunAsync(gateway, "usage", "--account", accountId.ToString(), "--since", "1h", "--json"));
        var day = Assert.Single(usage["data"]!.AsArray());
        Assert.Equal(Qwen, day!["model"]!.GetValue<string>());
        Assert.Equal(1, day["requests"]!.GetValue<long>());
        var table = await RunAsync(gateway, "usage", "--account", accountId.ToString(), "--by", "model");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(Qwen, table.Output, StringComparison.Ordinal);
        Assert.Contains("Total", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_read_command_prints_json_that_parses()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var (accountId, _) = await gateway.CreateAccountWithKeyAsync("reader");

        string[][] reads =
        [
            ["status"], ["nodes", "list"], ["nodes", "show", "qwen-1"], ["accounts", "list"], ["accounts", "show", accountId.ToString()],
            ["keys", "list", "--account", accountId.ToString()], ["prices", "list"], ["usage"], ["usage", "--by", "account", "--since", "24h"], ["requests", "list"],
        ];
        foreach (var read in reads)
        {
            var result = await RunAsync(gateway, [.. read, "--json"]);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', read)} exited {result.ExitCode}: {result.Error}");
            Assert.NotNull(JsonNode.Parse(result.Output));
        }
    }

    [Fact]
    public async Task Requests_list_filters_by_the_endpoint_a_request_came_through()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = gateway.CreateClient(await gateway.CreateApiKeyAsync());
        using var chat = await client.PostChatAsync(ChatBodies.Simple(Qwen, "by chat"));
        using var responses = await client.PostAsync("/v1/responses", new System.Net.Http.StringContent($$"""{"model":"{{Qwen}}","input":"by responses"}""", System.Text.Encoding.UTF8, "application/json"));
        var responsesId = responses.Headers.GetValues("X-Request-Id").Single();
        await gateway.WaitForLogRowAsync(chat.Headers.GetValues("X-Request-Id").Single());
        await gateway.WaitForLogRowAsync(responsesId);

        var page = Json(await RunAsync(gateway, "requests", "list", "--endpoint", "/v1/responses", "--json"));

        var row = Assert.Single(page["data"]!.AsArray())!;
        Assert.Equal((responsesId, "/v1/responses"), (row["request_id"]!.GetValue<string>(), row["endpoint"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Nodes_disable_and_enable_change_what_routing_holds()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen });

        Assert.Equal(0, (await RunAsync(gateway, "nodes", "disable", "qwen-1")).ExitCode);
        var disabled = Json(await RunAsync(gateway, "nodes", "list", "--json"));
        Assert.False(disabled[0]!["enabled"]!.GetValue<bool>());

        Assert.Equal(0, (await RunAsync(gateway, "nodes", "enable", "qwen-1")).ExitCode);
        var enabled = await RunAsync(gateway, "nodes", "list");
        Assert.Contains("qwen-1", enabled.Output, StringComparison.Ordinal);
        Assert.Contains("enabled", enabled.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nodes_add_takes_a_yaml_file_and_waits_until_the_node_is_healthy()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await using var host = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var file = Path.Combine(Path.GetTempPath(), $"node-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, $"""
            id: yaml-node
            host: {host.BaseUrl.Host}
            inference_port: {host.BaseUrl.Port}
            max_concurrent: 8
            models:
              {Qwen}:
                context_window: 32768
            """);
        try
        {
            var added = await RunAsync(gateway, "nodes", "add", "--file", file, "--wait");

            Assert.True(added.ExitCode == 0, added.Error);
            Assert.Contains("registered yaml-node", added.Output, StringComparison.Ordinal);
            var node = Json(await RunAsync(gateway, "nodes", "show", "yaml-node", "--json"));
            Assert.Equal(8, node["node"]!["max_concurrent"]!.GetValue<int>());
            Assert.Equal("healthy", node["state"]!["health"]!["status"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_wrong_admin_key_exits_1_with_the_gateways_message()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var result = await CliProcess.RunAsync(gateway.BaseUrl, "not-the-key", "accounts", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("401", result.Error, StringComparison.Ordinal);
        Assert.Contains("Invalid admin API key", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nodes", "frob")]
    [InlineData("accounts", "credit", "1", "--amount", "1.5")]
    [InlineData("usage", "--since", "yesterday")]
    [InlineData("usage", "--by", "colour")]
    [InlineData("demo", "--port", "70000")]
    public async Task A_usage_error_exits_2_and_says_what_is_wrong(params string[] args)
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var result = await RunAsync(gateway, args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_admin_key_the_cli_says_how_to_give_one()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var result = await CliProcess.RunAsync(gateway.BaseUrl, adminKey: null, "status");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("SHARDGATE_ADMIN_KEY", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_tail_prints_new_rows_as_they_are_written()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = gateway.CreateClient(await gateway.CreateApiKeyAsync());
        using var chat = await client.PostChatAsync(ChatBodies.Simple(Qwen, "tailed"));
        var id = chat.Headers.GetValues("X-Request-Id").Single();
        await gateway.WaitForLogRowAsync(id);

        var tail = await RunAsync(gateway, "requests", "tail", "--stop-after", "1", "--json");

        Assert.Equal(0, tail.ExitCode);
        Assert.Equal(id, JsonNode.Parse(tail.Output)!["request_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Help_lists_every_command_and_completion_prints_a_script()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var help = await RunAsync(gateway, "--help");
        var completion = await RunAsync(gateway, "completion", "bash");

        foreach (var command in new[] { "serve", "demo", "sim", "status", "nodes", "accounts", "keys", "prices", "usage", "requests", "completion" })
        {
            Assert.Contains(command, help.Output, StringComparison.Ordinal);
        }

        Assert.Contains("complete -o default -F _shardgate_complete shardgate", completion.Output, StringComparison.Ordinal);
    }

    private static Task<CliProcess.Result> RunAsync(GatewayHarness gateway, params string[] args) =>
        CliProcess.RunAsync(gateway.BaseUrl, GatewayHarness.AdminKey, args);

    private static JsonNode Json(CliProcess.Result result)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        return JsonNode.Parse(result.Output)!;
    }
}
