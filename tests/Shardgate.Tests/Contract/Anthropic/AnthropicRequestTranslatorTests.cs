using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Api;
using Shardgate.Contract.Anthropic;
using Shardgate.Kernel;

namespace Shardgate.Tests.Contract.Anthropic;

public sealed class AnthropicRequestTranslatorTests
{
    private const string Base = "\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    [Theory]
    [InlineData("\"tool_choice\":{\"type\":\"auto\"}", "tool_choice", "\"auto\"")]
    [InlineData("\"tool_choice\":{\"type\":\"any\"}", "tool_choice", "\"required\"")]
    [InlineData("\"tool_choice\":{\"type\":\"none\"}", "tool_choice", "\"none\"")]
    [InlineData("\"tool_choice\":{\"type\":\"tool\",\"name\":\"f\"}", "tool_choice", """{"type":"function","function":{"name":"f"}}""")]
    [InlineData("\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true}", "parallel_tool_calls", "false")]
    [InlineData("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}", "thinking", """{"type":"enabled"}""")]
    [InlineData("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}", "thinking_token_budget", "2048")]
    [InlineData("\"thinking\":{\"type\":\"disabled\"}", "thinking", """{"type":"disabled"}""")]
    [InlineData("\"stop_sequences\":[\"END\",\"STOP\"]", "stop", """["END","STOP"]""")]
    [InlineData("\"metadata\":{\"user_id\":\"u1\"}", "user", "\"u1\"")]
    [InlineData("\"top_k\":5", "top_k", "5")]
    [InlineData("\"tools\":[{\"name\":\"f\",\"description\":\"d\",\"input_schema\":{\"type\":\"object\"}}]", "tools", """[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"}}}]""")]
    public void Each_field_takes_its_chat_form(string field, string chatField, string expected)
    {
        var chat = Translate("{" + Base + "," + field + "}");

        Assert.Equal(expected, chat[chatField]!.ToJsonString());
    }

    [Fact]
    public void Blocks_become_chat_messages_in_the_order_chat_requires()
    {
        var chat = Translate("""
            {"model":"m","max_tokens":8,"system":[{"type":"text","text":"Be brief."}],"messages":[
              {"role":"user","content":[{"type":"text","text":"Look:"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]},
              {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":""},{"type":"text","text":"Calling."},{"type":"tool_use","id":"t1","name":"f","input":{"a":1}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"42"}]},{"type":"text","text":"And?"}]}
            ]}
            """);

        var expected = JsonNode.Parse("""
            [
              {"role":"system","content":"Be brief."},
              {"role":"user","content":[{"type":"text","text":"Look:"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
              {"role":"assistant","content":"Calling.","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},
              {"role":"tool","tool_call_id":"t1","content":"42"},
              {"role":"user","content":[{"type":"text","text":"And?"}]}
            ]
            """)!;
        Assert.Equal(expected.ToJsonString(), chat["messages"]!.ToJsonString());
    }

    [Fact]
    public void Fields_with_no_chat_meaning_are_ignored_and_named()
    {
        var translator = new AnthropicRequestTranslator();
        using var output = new PooledBufferWriter(1024);

        Assert.Null(translator.Translate(Encoding.UTF8.GetBytes("{" + Base + ",\"service_tier\":\"auto\",\"container\":null}"), output));
        Assert.Equal(["service_tier", "container"], translator.Ignored);
    }

    [Theory]
    [InlineData(400, "invalid_argument", 400, "invalid_request_error")]
    [InlineData(401, "invalid_api_key", 401, "authentication_error")]
    [InlineData(402, "insufficient_quota", 402, "billing_error")]
    [InlineData(403, "model_not_allowed", 403, "permission_error")]
    [InlineData(404, "model_not_found", 404, "not_found_error")]
    [InlineData(413, "request_too_large", 413, "request_too_large")]
    [InlineData(429, "rate_limit_exceeded", 429, "rate_limit_error")]
    [InlineData(429, "model_saturated", 529, "overloaded_error")]
    [InlineData(502, "upstream_unavailable", 502, "api_error")]
    [InlineData(503, "model_unavailable", 503, "api_error")]
    public void Gateway_errors_map_to_anthropics_statuses_and_types(int status, string code, int anthropicStatus, string type)
    {
        Assert.Equal((anthropicStatus, type), AnthropicErrors.Map(new GatewayError(status, "t", code, "m")));
    }

    private static JsonNode Translate(string json)
    {
        using var output = new PooledBufferWriter(1024);
        Assert.Null(new AnthropicRequestTranslator().Translate(Encoding.UTF8.GetBytes(json), output));
        return JsonNode.Parse(output.WrittenSpan)!;
    }
}
