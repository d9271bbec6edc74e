using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Shardgate.Simulator.Tests.Endpoints;

/// <summary>Small helpers to talk to a simulated host directly.</summary>
internal static class SimHttp
{
    public static JsonObject Body(string model, string prompt, bool stream = false, Action<JsonObject>? extra = null)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
            ["stream"] = stream,
        };
        if (stream)
        {
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        extra?.Invoke(body);
        return body;
    }

    public static async Task<(HttpResponseMessage Response, JsonObject Json)> PostAsync(SimulatedHost host, JsonObject body, string? fault = null)
    {
        using var client = new HttpClient { BaseAddress = host.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        if (fault is not null)
        {
            request.Headers.Add("x-sim-fault", fault);
        }

        var response = await client.SendAsync(request);
        var json = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (response, json);
    }

    public static async Task<List<JsonObject>> StreamAsync(SimulatedHost host, JsonObject body)
    {
        using var client = new HttpClient { BaseAddress = host.BaseUrl };
        using var response = await client.PostAsJsonAsync("/v1/chat/completions", body);
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        return events[..^1].Select(e => (JsonObject)JsonNode.Parse(e["data: ".Length..])!).ToList();
    }

    public static string? Message(JsonObject completion, string field, int choice = 0) =>
        completion["choices"]![choice]!["message"]![field]?.GetValue<string>();
}
