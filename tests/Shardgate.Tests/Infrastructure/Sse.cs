using System.Text.Json.Nodes;

namespace Shardgate.Tests.Infrastructure;

/// <summary>Reads an SSE body as a client would: the data payloads in order.</summary>
internal static class Sse
{
    public static List<string> DataPayloads(string body)
    {
        var payloads = new List<string>();
        foreach (var evt in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var line in evt.Split('\n'))
            {
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    payloads.Add(line[5..].TrimStart());
                }
            }
        }

        return payloads;
    }

    /// <summary>Named events (Anthropic's, the Responses API's) with their parsed data, in order.</summary>
    public static List<(string Name, JsonNode Data)> Events(string body)
    {
        var events = new List<(string, JsonNode)>();
        foreach (var evt in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = evt.Split('\n');
            var name = lines.FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?[7..];
            var data = lines.FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?[6..];
            if (name is not null && data is not null)
            {
                events.Add((name, JsonNode.Parse(data)!));
            }
        }

        return events;
    }

    /// <summary>The assembled <c>delta.content</c> of choice 0.</summary>
    public static string Content(IEnumerable<string> payloads)
    {
        var text = new System.Text.StringBuilder();
        foreach (var p in payloads)
        {
            if (p == "[DONE]")
            {
                continue;
            }

            var chunk = JsonNode.Parse(p)!;
            if (chunk["choices"] is JsonArray { Count: > 0 } choices && choices[0]!["delta"]?["content"] is JsonValue content)
            {
                text.Append(content.GetValue<string>());
            }
        }

        return text.ToString();
    }
}
