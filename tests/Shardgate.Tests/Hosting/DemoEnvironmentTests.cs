using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Hosting;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Hosting;

public sealed class DemoEnvironmentTests
{
    [Fact]
    public async Task The_demo_serves_three_models_and_its_printed_curl_streams_a_completion()
    {
        var directory = Directory.CreateTempSubdirectory("shardgate-demo-").FullName;
        try
        {
            await using (var demo = await DemoEnvironment.StartAsync(0, Path.Combine(directory, "demo.db"), "demo-admin", default))
            {
                using var client = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", demo.ApiKey);

                var models = (await client.GetFromJsonAsync<JsonObject>("/v1/models"))!["data"]!.AsArray();
                Assert.Equal(3, models.Count);

                // The banner's curl body, byte for byte.
                const string Body = """{"model": "moonshotai/Kimi-K2.6", "stream": true, "messages": [{"role": "user", "content": "Hello!"}]}""";
                using var response = await client.PostAsync("/v1/chat/completions", new StringContent(Body, Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
                Assert.Equal("[DONE]", payloads[^1]);
                Assert.False(string.IsNullOrEmpty(Sse.Content(payloads)));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
