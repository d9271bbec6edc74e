using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api.Auth;

/// <summary>Who may call the API, through the real gateway: API keys only, never the admin key.</summary>
public sealed class ApiAuthEndToEndTests(ThreeFamilyGateway gateway) : IClassFixture<ThreeFamilyGateway>
{
    public static TheoryData<string, string, bool> Routes => new()
    {
        { "POST", "/v1/chat/completions", false },
        { "GET", "/v1/models", false },
        { "GET", "/v1/usage", false },
        { "POST", "/v1/messages", true },
        { "POST", "/v1/messages/count_tokens", true },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task The_admin_key_is_refused_on_the_api_with_a_401_that_says_to_use_an_api_key(string method, string path, bool anthropic)
    {
        using var admin = gateway.Harness.CreateClient(GatewayHarness.AdminKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"model":"moonshotai/Kimi-K2.6","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");
        }

        using var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var error = body["error"]!;
        Assert.Contains("not an API key", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        if (anthropic)
        {
            Assert.Equal("error", body["type"]!.GetValue<string>());
            Assert.Equal("authentication_error", error["type"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal("invalid_api_key", error["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_model_name_over_256_bytes_is_a_400_naming_the_field()
    {
        var body = ChatBodies.Simple(new string('m', 257));

        using var response = await gateway.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("model", error["param"]!.GetValue<string>());
        Assert.Equal("model_name_too_long", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_model_is_logged_and_measured_as_unknown_never_by_the_name_the_client_sent()
    {
        var tagged = new ConcurrentQueue<string>();
        var meters = gateway.Harness.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "shardgate.requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "model")
                {
                    tagged.Enqueue((string)tag.Value!);
                }
            }
        });
        listener.Start();

        using var response = await gateway.Client.PostChatAsync(ChatBodies.Simple("made-up/model-x"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        // The row is queued after the metric is recorded: once it is there, so is the measurement.
        var row = await gateway.Harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("unknown", row["model"]!.GetValue<string>());
        Assert.Contains("unknown", tagged);
        Assert.DoesNotContain("made-up/model-x", tagged);
    }

    [Fact]
    public async Task A_request_refused_at_authentication_writes_no_log_row()
    {
        using var anonymous = gateway.Harness.CreateClient("sg-not-a-key");
        using var refused = await anonymous.PostChatAsync(ChatBodies.Simple("moonshotai/Kimi-K2.6"));
        using var served = await gateway.Client.PostChatAsync(ChatBodies.Simple("moonshotai/Kimi-K2.6"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // Rows are written in the order their requests finished: once the later one is there, the earlier would be.
        await gateway.Harness.WaitForLogRowAsync(served.Headers.GetValues("X-Request-Id").Single());
        using var row = await gateway.Harness.Admin.GetAsync($"/admin/v1/requests/{refused.Headers.GetValues("X-Request-Id").Single()}");
        Assert.Equal(HttpStatusCode.NotFound, row.StatusCode);
    }
}
