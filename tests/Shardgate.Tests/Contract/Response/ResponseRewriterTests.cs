using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Contract.Response;

namespace Shardgate.Tests.Contract.Response;

public sealed class ResponseRewriterTests
{
    [Fact]
    public void Repeated_tool_call_ids_across_choices_are_made_unique()
    {
        var rewriter = new ResponseRewriter(new ResponsePlan(false, UniqueToolCallIds: true, false));
        const string Completion = """
            {"choices":[
              {"index":0,"message":{"tool_calls":[{"id":"functions.get_weather:0","type":"function","function":{"name":"get_weather","arguments":"{}"}}]}},
              {"index":1,"message":{"tool_calls":[{"id":"functions.get_weather:0","type":"function","function":{"name":"get_weather","arguments":"{}"}}]}}]}
            """;

        var rewritten = JsonNode.Parse(rewriter.RewriteCompletion(Encoding.UTF8.GetBytes(Completion)))!;

        Assert.Equal("functions.get_weather:0", rewritten["choices"]![0]!["message"]!["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("functions.get_weather:1", rewritten["choices"]![1]!["message"]!["tool_calls"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void Unique_ids_pass_unchanged()
    {
        var rewriter = new ResponseRewriter(new ResponsePlan(false, UniqueToolCallIds: true, false));
        const string Chunk = """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"a","function":{"name":"f"}}]}}]}""";

        Assert.Null(rewriter.RewriteChunk(Encoding.UTF8.GetBytes(Chunk)));
    }

    [Fact]
    public void Forced_logprobs_and_token_ids_are_hidden()
    {
        var rewriter = new ResponseRewriter(new ResponsePlan(false, false, StripForcedFields: true));
        const string Chunk = """{"prompt_token_ids":[1,2],"choices":[{"index":0,"delta":{"content":"x"},"logprobs":{"content":[{"token":"x","logprob":-0.1}]},"token_ids":[7]}]}""";

        var rewritten = JsonNode.Parse(rewriter.RewriteChunk(Encoding.UTF8.GetBytes(Chunk)))!;

        Assert.Null(rewritten["prompt_token_ids"]);
        Assert.False(rewritten["choices"]![0]!.AsObject().ContainsKey("logprobs"));
        Assert.False(rewritten["choices"]![0]!.AsObject().ContainsKey("token_ids"));
        Assert.Equal("x", rewritten["choices"]![0]!["delta"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void Stream_chunks_move_thinking_into_reasoning_content()
    {
        var rewriter = new ResponseRewriter(new ResponsePlan(SplitThinking: true, false, false));
        string Delta(string content, string? finish = null) =>
            $$"""{"choices":[{"index":0,"delta":{"content":{{JsonValue.Create(content).ToJsonString()}}},"finish_reason":{{(finish is null ? "null" : $"\"{finish}\"")}}}]}""";

        var first = JsonNode.Parse(rewriter.RewriteChunk(Encoding.UTF8.GetBytes(Delta("<think>\nhmm")))!)!;
        var second = JsonNode.Parse(rewriter.RewriteChunk(Encoding.UTF8.GetBytes(Delta("\n</think>\n\nYes")))!)!;

        Assert.Equal("hmm", first["choices"]![0]!["delta"]!["reasoning_content"]!.GetValue<string>());
        Assert.Null(first["choices"]![0]!["delta"]!["content"]);
        Assert.Equal("Yes", second["choices"]![0]!["delta"]!["content"]!.GetValue<string>());
    }
}
