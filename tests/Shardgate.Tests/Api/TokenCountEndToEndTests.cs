using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api;

/// <summary>The gateway's own prompt counts: the 400 for a prompt no host holds, a catalog tokenizer, the calibration hosts teach.</summary>
public sealed class TokenCountEndToEndTests : IDisposable
{
    private const string Qwen = ModelFamilies.QwenModelId;
    private readonly string _directory = Directory.CreateTempSubdirectory("sg-tokens-").FullName;

    [Fact]
    public async Task A_prompt_over_every_hosts_window_is_refused_by_the_gateway_with_the_count_and_the_largest_window()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var small = await harness.AddHostAsync("q-small", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 131_072 });
        var large = await harness.AddHostAsync("q-large", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 240_000 });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        // 330,000 single-token words, 1.65 MB.
        var prompt = string.Join(' ', Enumerable.Repeat("word", 330_000));
        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, prompt));
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("context_length_exceeded", error["code"]!.GetValue<string>());
        var message = error["message"]!.GetValue<string>();
        // The first million characters are counted, the rest extrapolated from them (PromptCounter.MaxCountedChars).
        var counted = int.Parse(System.Text.RegularExpressions.Regex.Match(message, "counts as ([0-9]+) tokens").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(counted, 329_000, 331_000);
        Assert.Contains("the largest context window is 240000 tokens", message, StringComparison.Ordinal);
        Assert.Equal(0, small.Requests + large.Requests);
    }

    [Fact]
    public async Task A_prompt_that_fits_only_the_large_host_goes_there()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var small = await harness.AddHostAsync("q-small", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 8_192 });
        var large = await harness.AddHostAsync("q-large", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 262_144 });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        var body = ChatBodies.Simple(Qwen, string.Join(' ', Enumerable.Repeat("word", 20_000)) + " [[sim:tokens=3]]");
        body["max_tokens"] = 16;
        using var response = await client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((0, 1), (small.Requests, large.Requests));
    }

    [Fact]
    public async Task A_model_with_its_own_tokenizer_file_in_the_catalog_is_counted_with_it()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 262_144 });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());
        var input = string.Join(' ', Enumerable.Repeat("hello", 100));

        var before = await CountAsync(client, input);
        // Every character its own token: " hello" is six.
        var tokenizer = TinyTokenizers.WriteTokenizerJson(_directory, merge: false);
        using (var put = await harness.Admin.PutAsync("/admin/v1/catalog", new StringContent($"models:\n  {Qwen}:\n    family: qwen\n    prices: {{input: 0, output: 0}}\n    tokenizer: {tokenizer}\n", Encoding.UTF8, "application/yaml")))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var after = await CountAsync(client, input);

        Assert.InRange(before, 100, 110);
        Assert.InRange(after, 599, 610);
    }

    [Fact]
    public async Task A_catalog_naming_a_missing_tokenizer_file_is_refused_naming_the_field()
    {
        await using var harness = await GatewayHarness.StartAsync();

        using var put = await harness.Admin.PutAsync("/admin/v1/catalog", new StringContent($"models:\n  {Qwen}:\n    family: qwen\n    prices: {{input: 0, output: 0}}\n    tokenizer: {_directory}/absent.json\n", Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var text = await put.Content.ReadAsStringAsync();
        Assert.Contains("tokenizer", text, StringComparison.Ordinal);
        Assert.Contains("absent.json", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hosts_reported_usage_calibrates_the_familys_count()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 262_144 });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        // The simulator counts about four bytes a token; "word " is five bytes and one o200k token.
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, string.Join(' ', Enumerable.Repeat("word", 400)) + $" turn {i} [[sim:tokens=2]]"));
            await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        }

        var qwen = (await harness.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/tokens"))!.Single(v => v!["key"]!.GetValue<string>() == "qwen")!;
        Assert.Equal(5, qwen["samples"]!.GetValue<long>());
        Assert.InRange(qwen["factor"]!.GetValue<double>(), 1.1, 1.4);
        Assert.Equal(0.15, qwen["margin"]!.GetValue<double>());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<int> CountAsync(HttpClient client, string text)
    {
        var body = new JsonObject { ["model"] = Qwen, ["max_tokens"] = 16, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }) };
        using var response = await client.PostAsync("/v1/messages/count_tokens", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["input_tokens"]!.GetValue<int>();
    }
}
