using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Shardgate.Tests.Infrastructure;

/// <summary>Request bodies for tests.</summary>
internal static class ChatBodies
{
    public static JsonObject Simple(string model, string prompt = "Hello!", bool stream = false, bool includeUsage = false)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
        };
        if (stream)
        {
            body["stream"] = true;
            if (includeUsage)
            {
                body["stream_options"] = new JsonObject { ["include_usage"] = true };
            }
        }

        return body;
    }

    public static Task<HttpResponseMessage> PostChatAsync(this HttpClient client, JsonObject body) =>
        client.PostAsJsonAsync("/v1/chat/completions", body);
}
