using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api;

public sealed class RootEndpointsTests
{
    [Fact]
    public async Task Get_and_head_of_the_root_answer_where_each_kind_of_client_points()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var client = new HttpClient { BaseAddress = gateway.BaseUrl };

        using var get = await client.GetAsync("/");
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var root = (await get.Content.ReadFromJsonAsync<JsonObject>())!;
        var origin = gateway.BaseUrl.GetLeftPart(UriPartial.Authority);
        Assert.Equal((origin + "/v1", origin), (root["openai_base_url"]!.GetValue<string>(), root["anthropic_base_url"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("application/json", head.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/v1/v1/messages", "The path has /v1 twice")]
    [InlineData("/v2/chat/completions", "The API lives under /v1 (chat/completions, responses, messages, models)")]
    public async Task An_unknown_path_is_a_404_that_says_where_the_api_is(string path, string hint)
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var client = new HttpClient { BaseAddress = gateway.BaseUrl };

        using var response = await client.PostAsync(path, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(hint, (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
