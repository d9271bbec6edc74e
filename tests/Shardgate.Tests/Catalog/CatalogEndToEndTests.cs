using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Catalog;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Shardgate.Tests.Catalog;

/// <summary>A gateway started with a catalog file, which is then edited on disk and through the admin API.</summary>
public sealed class CatalogEndToEndTests : IAsyncLifetime
{
    private const string Qwen = ModelFamilies.QwenModelId;
    private const string Kimi = ModelFamilies.KimiModelId;

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.yaml");
    private GatewayHarness _gateway = null!;
    private HttpClient _client = null!;
    private long _account;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_file, Catalog(qwenPrices: "{input: 1, output: 2}", fastAlias: Qwen));
        _gateway = await GatewayHarness.StartAsync(Backend.Sqlite, "--Shardgate:Catalog:Path", _file, "--Shardgate:Hedging:Enabled", "false");
        await _gateway.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen, TokensPerSecond = 2000, TimeToFirstToken = TimeSpan.Zero });
        await _gateway.AddHostAsync("kimi-1", new SimulatedHostOptions { Family = ModelFamily.Kimi, TokensPerSecond = 2000, TimeToFirstToken = TimeSpan.Zero });
        (_account, var key) = await _gateway.CreateAccountWithKeyAsync("catalog", credit: 1_000_000_000);
        _client = _gateway.CreateClient(key);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        File.Delete(_file);
    }

    [Fact]
    public async Task Edits_on_disk_take_effect_without_a_restart_and_a_stream_runs_across_them()
    {
        var (model, row) = await ChatAsync("fast");
        Assert.Equal(Qwen, model);
        Assert.Equal("fast", row["alias"]!.GetValue<string>());
        Assert.Equal((row["prompt_tokens"]!.GetValue<long>() * 1) + (row["completion_tokens"]!.GetValue<long>() * 2), row["cost"]!.GetValue<long>());

        // A slow stream starts on the first catalog and is read to its end across the edits.
        await using var slowHost = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Generic, ModelId = "slow/model", TokensPerSecond = 40 });
        await _gateway.RegisterAsync("slow-1", slowHost.BaseUrl, "slow/model", 32_768, 8);
        using var stream = await _client.SendAsync(Post(ChatBodies.Simple("slow/model", "long [[sim:tokens=80]]", stream: true)), HttpCompletionOption.ResponseHeadersRead);
        var streamed = stream.Content.ReadAsStringAsync();

        // Add Kimi, change Qwen's price, move the alias to Kimi.
        await File.WriteAllTextAsync(_file, Catalog(qwenPrices: "{input: 2, output: 4}", fastAlias: Kimi, withKimi: true));
        await Eventually.HoldsAsync(async () => (await ChatAsync("fast")).Model == Kimi, "the alias never moved to Kimi");
        var (_, repriced) = await ChatAsync(Qwen);
        Assert.Equal((repriced["prompt_tokens"]!.GetValue<long>() * 2) + (repriced["completion_tokens"]!.GetValue<long>() * 4), repriced["cost"]!.GetValue<long>());

        // Retire Qwen: a clear 410 that names its replacement.
        await File.WriteAllTextAsync(_file, Catalog(qwenPrices: "{input: 2, output: 4}", fastAlias: Kimi, withKimi: true, qwenRetired: true));
        await Eventually.HoldsAsync(async () => (await _client.PostChatAsync(ChatBodies.Simple(Qwen))).StatusCode == HttpStatusCode.Gone, "Qwen was never retired");
        using (var retired = await _client.PostChatAsync(ChatBodies.Simple(Qwen)))
        {
            var error = (await retired.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
            Assert.Equal("model_retired", error["code"]!.GetValue<string>());
            Assert.Contains(Kimi, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Contains("data: [DONE]", await streamed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        var history = await _gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/catalog/history");
        Assert.Equal(3, history!.Count);
        Assert.All(history, v => Assert.StartsWith("file ", v!["author"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_edit_is_refused_whole_and_the_last_good_catalog_keeps_serving()
    {
        var catalog = _gateway.Services.GetRequiredService<ModelCatalog>();
        string[] invalid =
        [
            Catalog(qwenPrices: "{input: 1, output: 2}", fastAlias: Qwen).Replace("family: qwen", "family: llama", StringComparison.Ordinal),
            Catalog(qwenPrices: "{input: -1, output: 2}", fastAlias: Qwen),
            Catalog(qwenPrices: "{input: 1, output: 2}", fastAlias: "nothing/there"),
        ];
        foreach (var edit in invalid)
        {
            var refusals = catalog.Refusals;
            await File.WriteAllTextAsync(_file, edit);
            await Eventually.WaitAsync(() => catalog.Refusals > refusals);

            Assert.Equal(1, catalog.Version!.Version);
            Assert.Equal(Qwen, (await ChatAsync("fast")).Model);
        }
    }

    [Fact]
    public async Task The_admin_api_replaces_the_catalog_lists_its_history_and_rolls_back_in_one_call()
    {
        using var refused = await PutCatalogAsync(Catalog(qwenPrices: "{input: 1, output: -2}", fastAlias: Qwen));
        var message = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["message"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("prices > output: must be a whole number of at least 0", message, StringComparison.Ordinal);
        Assert.Contains("line ", message, StringComparison.Ordinal);

        using (var accepted = await PutCatalogAsync(Catalog(qwenPrices: "{input: 1, output: 2}", fastAlias: Kimi, withKimi: true)))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(2, (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<long>());
        }

        Assert.Equal(Kimi, (await ChatAsync("fast")).Model);
        using (var rollback = await _gateway.Admin.PostAsJsonAsync("/admin/v1/catalog/rollback", new JsonObject { ["version"] = 1 }))
        {
            Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        }

        Assert.Equal(Qwen, (await ChatAsync("fast")).Model);
        var history = (await _gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/catalog/history"))!;
        Assert.Equal(["admin API (rollback to version 1)", "admin API"], history.Take(2).Select(v => v!["author"]!.GetValue<string>()));
        Assert.StartsWith("file ", history[2]!["author"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_model_is_not_found_for_other_accounts_and_a_deprecated_one_says_when_it_ends()
    {
        var (other, otherKey) = await _gateway.CreateAccountWithKeyAsync("other", credit: 1_000_000);
        var document = Catalog(qwenPrices: "{input: 1, output: 2}", fastAlias: Qwen, withKimi: true)
            .Replace("    family: kimi\n", $"    family: kimi\n    access: [{other}]\n", StringComparison.Ordinal)
            .Replace("    family: qwen\n", "    family: qwen\n    state: deprecated\n    sunset: 2027-03-01\n    replacement: moonshotai/Kimi-K2.6\n", StringComparison.Ordinal);
        (await PutCatalogAsync(document)).EnsureSuccessStatusCode();

        using (var closed = await _client.PostChatAsync(ChatBodies.Simple(Kimi)))
        {
            Assert.Equal(HttpStatusCode.NotFound, closed.StatusCode);
        }

        using (var otherClient = _gateway.CreateClient(otherKey))
        using (var open = await otherClient.PostChatAsync(ChatBodies.Simple(Kimi)))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        using var deprecated = await _client.PostChatAsync(ChatBodies.Simple(Qwen));
        Assert.Equal(HttpStatusCode.OK, deprecated.StatusCode);
        Assert.Equal("Mon, 01 Mar 2027 00:00:00 GMT", deprecated.Headers.GetValues("Sunset").Single());
        Assert.StartsWith("@", deprecated.Headers.GetValues("Deprecation").Single(), StringComparison.Ordinal);

        var listed = (await _client.GetFromJsonAsync<JsonObject>("/v1/models"))!["data"]!.AsArray();
        var qwen = Assert.Single(listed)!;
        Assert.Equal(Qwen, qwen["id"]!.GetValue<string>());
        Assert.Equal("deprecated", qwen["lifecycle"]!.GetValue<string>());
        Assert.Equal("2027-03-01", qwen["sunset"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_90_10_split_over_1000_requests_from_100_keys_lands_within_3_percent_and_each_key_keeps_its_arm()
    {
        var document = Catalog(qwenPrices: "{input: 1, output: 2}", fastAlias: Qwen, withKimi: true) + $"aliases:\n  rollout: {{{Qwen}: 90, {Kimi}: 10}}\n";
        (await PutCatalogAsync(document)).EnsureSuccessStatusCode();
        var clients = new List<HttpClient>();
        for (var i = 0; i < 100; i++)
        {
            using var created = await _gateway.Admin.PostAsJsonAsync($"/admin/v1/accounts/{_account}/keys", new JsonObject());
            clients.Add(_gateway.CreateClient((await created.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>()));
        }

        var arms = new System.Collections.Concurrent.ConcurrentDictionary<int, System.Collections.Concurrent.ConcurrentBag<string>>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1_000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (request, ct) =>
        {
            var keyIndex = request % 100;
            using var response = await clients[keyIndex].PostChatAsync(ChatBodies.Simple("rollout", $"r{request} [[sim:tokens=2]]"));
            response.EnsureSuccessStatusCode();
            var model = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["model"]!.GetValue<string>();
            arms.GetOrAdd(keyIndex, _ => []).Add(model);
        });
        clients.ForEach(c => c.Dispose());

        Assert.All(arms.Values, seen => Assert.Single(seen.Distinct()));
        var share = arms.Values.Sum(seen => seen.Count(m => m == Kimi)) / 1_000.0;
        Assert.InRange(share, 0.07, 0.13);

        // Each arm's outcomes side by side: in the admin API's stats and in /metrics, labelled by alias and arm.
        var stats = (await _gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/stats?window=1h"))!;
        var compared = stats["arms"]!.AsArray().Where(a => a!["alias"]!.GetValue<string>() == "rollout").ToList();
        Assert.Equal(new[] { Kimi, Qwen }.Order(StringComparer.Ordinal), compared.Select(a => a!["model"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(1_000, compared.Sum(a => a!["figures"]!["requests"]!.GetValue<long>()));
        Assert.Equal((long)Math.Round(share * 1_000), compared.Single(a => a!["model"]!.GetValue<string>() == Kimi)!["figures"]!["requests"]!.GetValue<long>());
        var metrics = await _gateway.Admin.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("shardgate_alias_requests_total{", StringComparison.Ordinal)
            && line.Contains("alias=\"rollout\"", StringComparison.Ordinal) && line.Contains($"arm=\"{Kimi}\"", StringComparison.Ordinal));
    }

    private static string Catalog(string qwenPrices, string fastAlias, bool withKimi = false, bool qwenRetired = false)
    {
        var text = new StringBuilder("models:\n");
        text.Append($"  {Qwen}:\n    family: qwen\n    prices: {qwenPrices}\n");
        if (fastAlias == Qwen)
        {
            text.Append("    aliases: [fast]\n");
        }

        if (qwenRetired)
        {
            text.Append($"    state: retired\n    replacement: {Kimi}\n");
        }

        if (withKimi)
        {
            text.Append($"  {Kimi}:\n    family: kimi\n    prices: {{input: 3, output: 5}}\n");
            if (fastAlias == Kimi)
            {
                text.Append("    aliases: [fast]\n");
            }
        }

        if (fastAlias != Qwen && fastAlias != Kimi)
        {
            text.Append($"aliases:\n  fast: {{{fastAlias}: 1}}\n");
        }

        return text.ToString();
    }

    private async Task<(string Model, JsonObject Row)> ChatAsync(string model)
    {
        using var response = await _client.PostChatAsync(ChatBodies.Simple(model, "catalog [[sim:tokens=4]]"));
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var row = await _gateway.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        return (body["model"]!.GetValue<string>(), row);
    }

    private Task<HttpResponseMessage> PutCatalogAsync(string document) =>
        _gateway.Admin.PutAsync("/admin/v1/catalog", new StringContent(document, Encoding.UTF8, "application/yaml"));

    private static HttpRequestMessage Post(JsonObject body) =>
        new(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
}
