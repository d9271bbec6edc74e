using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Contract.Responses;
using Shardgate.Kernel;

namespace Shardgate.Tests.Contract.Responses;

public sealed class ResponsesObjectWriterTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static readonly KeyValuePair<string, byte[]>[] Echo = [new("metadata", """{"ticket":"T-1"}"""u8.ToArray()), new("temperature", "0.2"u8.ToArray())];

    [Fact]
    public void A_completion_becomes_a_response_with_reasoning_message_and_function_call_items()
    {
        var response = Write("""
            {"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","reasoning_content":"think","content":"Calling.",
              "tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}]}}]}
            """, new Usage(12, 30, 4));

        Assert.Equal("response", response["object"]!.GetValue<string>());
        Assert.Equal("completed", response["status"]!.GetValue<string>());
        Assert.Equal(1_800_000_000, response["created_at"]!.GetValue<long>());
        var output = response["output"]!.AsArray();
        Assert.Equal(["reasoning", "message", "function_call"], output.Select(o => o!["type"]!.GetValue<string>()));
        Assert.Equal("think", output[0]!["summary"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("Calling.", output[1]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(("call_1", "weather", "{\"city\":\"Paris\"}"), (output[2]!["call_id"]!.GetValue<string>(), output[2]!["name"]!.GetValue<string>(), output[2]!["arguments"]!.GetValue<string>()));
        Assert.Equal((12, 30, 42, 4), (response["usage"]!["input_tokens"]!.GetValue<int>(), response["usage"]!["output_tokens"]!.GetValue<int>(), response["usage"]!["total_tokens"]!.GetValue<int>(), response["usage"]!["input_tokens_details"]!["cached_tokens"]!.GetValue<int>()));
        Assert.False(response["store"]!.GetValue<bool>());
    }

    [Fact]
    public void The_request_fields_a_response_repeats_are_echoed_and_the_rest_get_the_apis_defaults()
    {
        var response = Write("""{"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Hi"}}]}""", new Usage(1, 1, 0));

        Assert.Equal("T-1", response["metadata"]!["ticket"]!.GetValue<string>());
        Assert.Equal(0.2, response["temperature"]!.GetValue<double>());
        Assert.Equal("auto", response["tool_choice"]!.GetValue<string>());
        Assert.Empty(response["tools"]!.AsArray());
        Assert.Null(response["instructions"]);
        Assert.Null(response["error"]);
        Assert.Null(response["previous_response_id"]);
    }

    [Fact]
    public void An_answer_cut_by_the_output_cap_is_incomplete_and_says_why()
    {
        var response = Write("""{"choices":[{"index":0,"finish_reason":"length","message":{"role":"assistant","content":"Half an"}}]}""", new Usage(5, 16, 0));

        Assert.Equal("incomplete", response["status"]!.GetValue<string>());
        Assert.Equal("max_output_tokens", response["incomplete_details"]!["reason"]!.GetValue<string>());
        Assert.Equal("incomplete", response["output"]![0]!["status"]!.GetValue<string>());
    }

    private static JsonObject Write(string completion, Usage usage)
    {
        using var output = ResponsesObjectWriter.Write(Encoding.UTF8.GetBytes(completion), new ResponsesHead("resp_abc", "moonshotai/Kimi-K2.6", At, Echo), usage);
        return JsonNode.Parse(output.WrittenSpan)!.AsObject();
    }
}
