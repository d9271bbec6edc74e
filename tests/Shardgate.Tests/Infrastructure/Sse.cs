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
