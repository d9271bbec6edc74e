using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Contract;
using Shardgate.Contract.Responses;
using Shardgate.Kernel;

namespace Shardgate.Tests.Contract.Responses;

public sealed class ResponsesRequestTranslatorTests
{
    private const string Model = "\"model\":\"moonshotai/Kimi-K2.6\"";

    [Theory]
    [InlineData("\"max_output_tokens\":64", "max_tokens", "64")]
    [InlineData("\"temperature\":0.2", "temperature", "0.2")]
    [InlineData("\"top_p\":0.9", "top_p", "0.9")]
    [InlineData("\"user\":\"u-1\"", "user", "\"u-1\"")]
    [InlineData("\"reasoning\":{\"effort\":\"high\"}", "reasoning_effort", "\"high\"")]
    [InlineData("\"tool_choice\":\"required\"", "tool_choice", "\"required\"")]
    [InlineData("\"tool_choice\":{\"type\":\"function\",\"name\":\"f\"}", "tool_choice", "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}")]
    [InlineData("\"text\":{\"format\":{\"type\":\"json_object\"}}", "response_format", "{\"type\":\"json_object\"}")]
    [InlineData("\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"p\",\"schema\":{\"type\":\"object\"},\"strict\":true}}", "response_format", "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"p\",\"schema\":{\"type\":\"object\"},\"strict\":true}}")]
    [InlineData("\"stream\":true", "stream_options", "{\"include_usage\":true}")]
    public void A_field_takes_its_chat_form(string field, string chatField, string expected)
    {
        var chat = Translate("{" + Model + ",\"input\":\"hi\"," + field + "}");

        Assert.Equal(expected, chat[chatField]!.ToJsonString());
    }

    [Fact]
    public void Instructions_and_items_become_messages_with_function_calls_merged_and_answered()
    {
        var chat = Translate("{" + Model + """
            ,"instructions":"Be brief.","input":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"type":"function_call","call_id":"c1","name":"weather","arguments":"{\"city\":\"Paris\"}"},
              {"type":"function_call","call_id":"c2","name":"weather","arguments":"{\"city\":\"Rome\"}"},
              {"type":"function_call_output","call_id":"c1","output":"sunny"},
              {"type":"function_call_output","call_id":"c2","output":"rain"},
              {"type":"reasoning","summary":[]},
              {"type":"message","role":"developer","content":[{"type":"input_text","text":"Answer in French."}]}
            ],"tools":[{"type":"function","name":"weather","parameters":{"type":"object"}}]}
            """);

        var messages = chat["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "tool", "tool", "system"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal(["c1", "c2"], messages[2]!["tool_calls"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        Assert.Equal("rain", messages[4]!["content"]!.GetValue<string>());
        Assert.Equal("Answer in French.", messages[5]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("weather", chat["tools"]![0]!["function"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]", "tools[0].type")]
    [InlineData("\"input\":\"hi\",\"tools\":[{\"type\":\"file_search\",\"vector_store_ids\":[]}]", "tools[0].type")]
    [InlineData("\"input\":\"hi\",\"background\":true", "background")]
    [InlineData("\"input\":\"hi\",\"previous_response_id\":\"resp_1\"", "previous_response_id")]
    [InlineData("\"input\":42", "input")]
    [InlineData("\"input\":[{\"type\":\"computer_call_output\"}]", "input[0].type")]
    [InlineData("\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]", "input[0].call_id")]
    [InlineData("\"input\":\"hi\",\"tool_choice\":{\"type\":\"web_search_preview\"}", "tool_choice")]
    [InlineData("\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_schema\"}}", "text.format.schema")]
    public void What_cannot_be_served_is_a_400_naming_the_field(string fields, string param)
    {
        var error = new ResponsesRequestTranslator().Translate(Encoding.UTF8.GetBytes("{" + Model + "," + fields + "}"), new PooledBufferWriter(256));

        Assert.NotNull(error);
        Assert.Equal(400, error.Value.Status);
        Assert.Equal(param, error.Value.Param);
    }

    [Theory]
    [InlineData("{\"type\":\"namespace\",\"name\":\"multi_agent_v1\",\"tools\":[]}", "multi_agent = false")]
    [InlineData("{\"type\":\"web_search\",\"external_web_access\":false}", "web_search = \"disabled\"")]
    public void Codex_default_tools_are_refused_with_the_setting_that_stops_them(string tool, string setting)
    {
        var error = new ResponsesRequestTranslator().Translate(Encoding.UTF8.GetBytes("{" + Model + ",\"input\":\"hi\",\"tools\":[" + tool + "]}"), new PooledBufferWriter(256));

        Assert.Equal("tools[0].type", error!.Value.Param);
        Assert.Contains(setting, error.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chat_body_parses_for_the_contract_unknown_fields_are_named_and_metadata_is_kept_to_echo()
    {
        var translator = new ResponsesRequestTranslator();
        using var output = new PooledBufferWriter(256);

        Assert.Null(translator.Translate(Encoding.UTF8.GetBytes("{" + Model + ",\"input\":\"hi\",\"store\":true,\"metadata\":{\"a\":\"b\"}}"), output));
        Assert.True(ParsedRequest.TryParse(output.WrittenMemory, new ContractOptions(), out var parsed, out _));
        parsed.Dispose();
        Assert.Equal(["store"], translator.Ignored);
        Assert.Equal("""{"a":"b"}""", Encoding.UTF8.GetString(translator.Echo.Single(e => e.Key == "metadata").Value));
    }

    private static JsonObject Translate(string body)
    {
        using var output = new PooledBufferWriter(256);
        Assert.Null(new ResponsesRequestTranslator().Translate(Encoding.UTF8.GetBytes(body), output));
        return JsonNode.Parse(output.WrittenSpan)!.AsObject();
    }
}
