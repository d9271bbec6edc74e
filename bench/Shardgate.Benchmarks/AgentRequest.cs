using System.Text;
using System.Text.Json.Nodes;

namespace Shardgate.Benchmarks;

/// <summary>A realistic coding-agent request: 40 tools with schemas and a long tool-using history.</summary>
internal static class AgentRequest
{
    public static byte[] Build(int tools = 40, int turns = 60)
    {
        var toolArray = new JsonArray();
        for (var t = 0; t < tools; t++)
        {
            toolArray.Add(new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = $"tool_{t}",
                    ["description"] = "Reads, edits or searches files in the workspace; returns a short structured result for the agent to act on. " + new string('d', 200),
                    ["parameters"] = JsonNode.Parse("""
                        {"type":"object","properties":{
                          "path":{"type":"string","description":"Workspace-relative file path."},
                          "start_line":{"type":"integer","minimum":1},
                          "end_line":{"type":"integer","minimum":1},
                          "mode":{"type":"string","enum":["read","write","append","search"]},
                          "content":{"type":"string"},
                          "options":{"type":"object","properties":{"recursive":{"type":"boolean"},"glob":{"type":"string"}}}
                        },"required":["path","mode"]}
                        """),
                },
            });
        }

        var messages = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = "You are a careful coding agent. " + new string('s', 4000) });
        for (var i = 0; i < turns; i++)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = $"Step {i}: look at src/file_{i}.cs and fix the bug near line {i * 7}. " + new string('u', 300) });
            if (tools == 0)
            {
                continue;
            }

            messages.Add(new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["id"] = $"functions.tool_{i % tools}:{i}",
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = $"tool_{i % tools}", ["arguments"] = $"{{\"path\":\"src/file_{i}.cs\",\"mode\":\"read\"}}" },
                }),
            });
            messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = $"functions.tool_{i % tools}:{i}", ["content"] = new string('r', 900) });
        }

        var body = new JsonObject
        {
            ["model"] = "moonshotai/Kimi-K2.6",
            ["stream"] = true,
            ["max_tokens"] = 2048,
            ["temperature"] = 0.6,
            ["seed"] = 1234567890123L,
            ["tools"] = toolArray,
            ["messages"] = messages,
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }
}
