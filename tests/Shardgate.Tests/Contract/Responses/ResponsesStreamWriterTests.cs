using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Contract.Responses;
using Shardgate.Kernel;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Contract.Responses;

public sealed class ResponsesStreamWriterTests
{
    private static readonly ResponsesHead Head = new("resp_abc", "moonshotai/Kimi-K2.6", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), []);

    [Fact]
    public void Reasoning_then_text_follows_the_apis_event_sequence_with_contiguous_sequence_numbers()
    {
        var events = Translate(
            [
                """{"choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Let me"}}]}""",
                """{"choices":[{"index":0,"delta":{"reasoning_content":" think"}}]}""",
                """{"choices":[{"index":0,"delta":{"content":"Hello"}}]}""",
                """{"choices":[{"index":0,"delta":{"content":" there"},"finish_reason":"stop"}]}""",
            ],
            new Usage(9, 4, 0));

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed",
            ],
            events.Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, e.Data["type"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data["sequence_number"]!.GetValue<int>()));
        Assert.Equal("Let me think", events[6].Data["text"]!.GetValue<string>());
        Assert.Equal("Hello there", events[13].Data["text"]!.GetValue<string>());
        Assert.Equal(1, events[11].Data["output_index"]!.GetValue<int>());
        var completed = events[^1].Data["response"]!;
        Assert.Equal("completed", completed["status"]!.GetValue<string>());
        Assert.Equal(["reasoning", "message"], completed["output"]!.AsArray().Select(o => o!["type"]!.GetValue<string>()));
        Assert.Equal("Hello there", completed["output"]![1]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal((9, 4), (completed["usage"]!["input_tokens"]!.GetValue<int>(), completed["usage"]!["output_tokens"]!.GetValue<int>()));
        Assert.Equal("in_progress", events[0].Data["response"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void Two_tool_calls_become_two_function_call_items_with_their_argument_deltas()
    {
        var events = Translate(
            [
                """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"weather","arguments":""}}]}}]}""",
                """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]}""",
                """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Lima\"}"}}]}}]}""",
                """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"time","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}""",
            ],
            new Usage(20, 12, 0));

        var added = events.Where(e => e.Name == "response.output_item.added").Select(e => e.Data["item"]!).ToList();
        Assert.Equal(["call_a", "call_b"], added.Select(i => i["call_id"]!.GetValue<string>()));
        Assert.Equal(["weather", "time"], added.Select(i => i["name"]!.GetValue<string>()));
        var argsDone = events.Where(e => e.Name == "response.function_call_arguments.done").Select(e => e.Data["arguments"]!.GetValue<string>());
        Assert.Equal(["""{"city":"Lima"}""", "{}"], argsDone);
        var deltas = string.Concat(events.Where(e => e.Name == "response.function_call_arguments.delta" && e.Data["output_index"]!.GetValue<int>() == 0).Select(e => e.Data["delta"]!.GetValue<string>()));
        Assert.Equal("""{"city":"Lima"}""", deltas);
        var output = events[^1].Data["response"]!["output"]!.AsArray();
        Assert.Equal(["function_call", "function_call"], output.Select(o => o!["type"]!.GetValue<string>()));
        Assert.All(output, o => Assert.Equal("completed", o!["status"]!.GetValue<string>()));
    }

    [Fact]
    public void An_answer_cut_by_the_cap_ends_with_response_incomplete()
    {
        var events = Translate(["""{"choices":[{"index":0,"delta":{"content":"Half"},"finish_reason":"length"}]}"""], new Usage(3, 1, 0));

        Assert.Equal("response.incomplete", events[^1].Name);
        Assert.Equal("max_output_tokens", events[^1].Data["response"]!["incomplete_details"]!["reason"]!.GetValue<string>());
        Assert.Equal("incomplete", events.Last(e => e.Name == "response.output_item.done").Data["item"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void A_failure_mid_stream_ends_with_response_failed_and_an_error_event_never_a_completion()
    {
        var writer = new ResponsesStreamWriter(Head);
        var output = new ArrayBufferWriter<byte>();
        writer.WriteChunk(output, """{"choices":[{"index":0,"delta":{"content":"Partial"}}]}"""u8);
        writer.WriteError(output, new GatewayError(502, "upstream_error", "upstream_stream_interrupted", "The host stopped mid-stream."));
        var events = Sse.Events(Encoding.UTF8.GetString(output.WrittenSpan));

        Assert.DoesNotContain(events, e => e.Name is "response.completed" or "response.output_item.done");
        Assert.Equal(["response.failed", "error"], events[^2..].Select(e => e.Name));
        var failed = events[^2].Data["response"]!;
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Equal("upstream_stream_interrupted", failed["error"]!["code"]!.GetValue<string>());
        Assert.Equal("Partial", failed["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("upstream_stream_interrupted", events[^1].Data["code"]!.GetValue<string>());
        Assert.Equal("The host stopped mid-stream.", events[^1].Data["error"]!["message"]!.GetValue<string>());
    }

    private static List<(string Name, JsonNode Data)> Translate(string[] chunks, Usage usage)
    {
        var writer = new ResponsesStreamWriter(Head);
        var output = new ArrayBufferWriter<byte>();
        foreach (var chunk in chunks)
        {
            writer.WriteChunk(output, Encoding.UTF8.GetBytes(chunk));
        }

        writer.WriteEnd(output, usage);
        return Sse.Events(Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
