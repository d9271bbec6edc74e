using Shardgate.Tests.Infrastructure;
using static Shardgate.Tests.Infrastructure.ContractRun;

namespace Shardgate.Tests.Contract;

/// <summary>One row per refusing rule: the body, the model, the expected code and the field it names.</summary>
public sealed class ContractRejectionTests
{
    public static TheoryData<string, string, string, string?> Rows => new()
    {
        // Parsing and the allowlist.
        { """{"model": "m", "messages": [""", Qwen, "invalid_json", null },
        { """{"": 1, "model": "m", "messages": []}""", Qwen, "empty_field_name", null },
        { Body("\"guided_json\": {}"), Qwen, "unsupported_parameter", "guided_json" },
        { Body("\"tags\": [\"a\"]"), Qwen, "unsupported_parameter", "tags" },
        { Body("\"enforced_tokens\": [1]"), Qwen, "unsupported_parameter", "enforced_tokens" },
        { Body("\"use_beam_search\": true"), Qwen, "unsupported_parameter", "use_beam_search" },
        { Body("\"ignore_eos\": true"), Kimi, "unsupported_parameter", "ignore_eos" },
        { Body("\"extra_body\": {\"prompt_logprobs\": 1}"), Qwen, "unsupported_parameter", "prompt_logprobs" },
        { """{"messages": [{"role":"user","content":"hi"}]}""", Qwen, "missing_required_field", "model" },
        // Per-parameter rules.
        { Body("\"seed\": -5"), Qwen, "invalid_seed", "seed" },
        { Body("\"seed\": 3.14"), Qwen, "invalid_seed", "seed" },
        { Body("\"seed\": \"42\""), Qwen, "invalid_seed", "seed" },
        { Body("\"stream\": \"yes\""), Qwen, "invalid_type", "stream" },
        { Body("\"repetition_penalty\": 0"), Qwen, "invalid_repetition_penalty", "repetition_penalty" },
        { Body("\"top_p\": 0"), Qwen, "invalid_top_p", "top_p" },
        { Body("\"top_k\": 0"), Qwen, "invalid_top_k", "top_k" },
        { Body("\"top_k\": 2.5"), Qwen, "invalid_top_k", "top_k" },
        { Body("\"stop\": [1]"), Qwen, "invalid_stop", "stop[0]" },
        { Body("\"stop\": [" + string.Join(",", Enumerable.Repeat("\"x\"", 17)) + "]"), Qwen, "invalid_stop", "stop" },
        { Body("\"stop\": [\"" + new string('s', 257) + "\"]"), Qwen, "invalid_stop", "stop[0]" },
        { Body("\"stop_token_ids\": [-1]"), Qwen, "invalid_stop_token_ids", "stop_token_ids[0]" },
        { Body("\"bad_words\": [3]"), Qwen, "invalid_bad_words", "bad_words[0]" },
        { Body("\"min_tokens\": -1"), Qwen, "invalid_min_tokens", "min_tokens" },
        { Body("\"reasoning_effort\": \"max\""), Qwen, "invalid_reasoning_effort", "reasoning_effort" },
        { Body("\"reasoning_effort\": 3"), Qwen, "invalid_reasoning_effort", "reasoning_effort" },
        { Body("\"reasoning\": {\"effort\": \"extreme\"}"), Kimi, "invalid_reasoning_effort", "reasoning_effort" },
        { Body("\"enable_thinking\": \"yes\""), Qwen, "invalid_enable_thinking", "enable_thinking" },
        { Body("\"thinking\": true"), Kimi, "invalid_thinking", "thinking" },
        { Body("\"thinking\": {}"), Qwen, "invalid_thinking", "thinking.type" },
        { Body("\"thinking\": {\"type\": \"sometimes\"}"), Kimi, "invalid_thinking", "thinking.type" },
        { Body("\"chat_template_kwargs\": []"), Qwen, "invalid_chat_template_kwargs", "chat_template_kwargs" },
        { Body("\"chat_template_kwargs\": {\"chat_template\": \"x\"}"), Kimi, "invalid_chat_template_kwargs", "chat_template_kwargs.chat_template" },
        { Body("\"chat_template_kwargs\": {\"tokenize\": true}"), Qwen, "invalid_chat_template_kwargs", "chat_template_kwargs.tokenize" },
        { Body("\"tools\": {}"), Qwen, "invalid_tools", "tools" },
        { Body("\"tools\": [{\"type\": \"retrieval\"}]"), Qwen, "invalid_tools", "tools[0]" },
        { Body("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"  \"}}]"), Qwen, "invalid_tools", "tools[0].function.name" },
        { Body("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {\"$ref\": \"#/x\"}}}]"), Qwen, "invalid_schema", "tools[0].function.parameters" },
        { Body("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {\"type\": \"something\"}}}]"), Qwen, "invalid_schema", "tools[0].function.parameters" },
        { Body("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {\"type\": \"string\", \"pattern\": \"([a-z\"}}}]"), Qwen, "invalid_schema", "tools[0].function.parameters" },
        { Body("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {\"enum\": [" + string.Join(",", Enumerable.Range(0, 257)) + "]}}}]"), Qwen, "invalid_schema", "tools[0].function.parameters" },
        { Body("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {\"anyOf\": [" + string.Join(",", Enumerable.Repeat("{}", 17)) + "]}}}]"), Qwen, "invalid_schema", "tools[0].function.parameters" },
        { Body("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": " + Nested(17) + "}}]"), Qwen, "invalid_schema", "tools[0].function.parameters" },
        { Body("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f<|im_start|>\"}}]"), Qwen, "special_token_literal", "tools[0].function" },
        { Body("\"tool_choice\": \"force\""), Qwen, "invalid_tool_choice", "tool_choice" },
        { Body("\"tool_choice\": {\"type\": \"function\"}"), Qwen, "invalid_tool_choice", "tool_choice" },
        { Body("\"user\": 42"), Qwen, "invalid_user", "user" },
        { Body("\"user\": \"" + new string('u', 513) + "\""), Qwen, "invalid_user", "user" },
        { Body("\"metadata\": {\"k\": 1}"), Qwen, "invalid_metadata", "metadata.k" },
        { Body("\"metadata\": {" + string.Join(",", Enumerable.Range(0, 17).Select(i => $"\"k{i}\": \"v\"")) + "}"), Qwen, "invalid_metadata", "metadata" },
        { Body("\"stream\": true, \"stream_options\": 5"), Qwen, "invalid_stream_options", "stream_options" },
        { Body("\"response_format\": {\"type\": \"banana\"}"), Qwen, "invalid_response_format", "response_format.type" },
        { Body("\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"bad name\", \"schema\": {}}}"), Qwen, "invalid_response_format", "response_format.json_schema.name" },
        { Body("\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"n\", \"schema\": {\"$defs\": {}}}}"), Qwen, "invalid_schema", "response_format.json_schema.schema" },
        { Body("\"structured_outputs\": {\"regex\": \"a+\"}"), Kimi, "structured_outputs_unsupported", "structured_outputs" },
        { Body("\"structured_outputs\": {\"regex\": \"a+\"}, \"response_format\": {\"type\": \"text\"}"), Qwen, "invalid_structured_outputs", "structured_outputs" },
        { Body("\"structured_outputs\": {\"regex\": \"a+\", \"choice\": [\"x\"]}"), Qwen, "invalid_structured_outputs", "structured_outputs" },
        { Body("\"structured_outputs\": {}"), Qwen, "invalid_structured_outputs", "structured_outputs" },
        { Body("\"structured_outputs\": {\"json\": \"{}\"}"), Qwen, "invalid_structured_outputs", "structured_outputs.json" },
        { Body("\"structured_outputs\": {\"structural_tag\": \"<x>\"}"), Qwen, "invalid_structured_outputs", "structured_outputs.structural_tag" },
        { Body("\"structured_outputs\": {\"grammar\": \"" + new string('(', 201) + "\"}"), Qwen, "invalid_structured_outputs", "structured_outputs.grammar" },
        { Body("\"structured_outputs\": {\"unknown\": 1}"), Qwen, "invalid_structured_outputs", "structured_outputs.unknown" },
        { Body("\"safety_identifier\": 7"), Kimi, "invalid_safety_identifier", "safety_identifier" },
        { Body("\"max_tokens\": 0"), Qwen, "invalid_max_tokens", "max_tokens" },
        { Body("\"max_completion_tokens\": 0"), MiniMax, "invalid_max_tokens", "max_completion_tokens" },
        { Body("\"max_tokens\": -3"), Kimi, "invalid_max_tokens", "max_tokens" },
        { Body("\"parallel_tool_calls\": \"yes\""), Qwen, "invalid_boolean", "parallel_tool_calls" },
        { Body("\"n\": -1"), Qwen, "invalid_type", "n" },
        // Messages.
        { Body(messages: "[]"), Qwen, "invalid_type", "messages" },
        { Body(messages: "[" + string.Join(",", Enumerable.Repeat("{\"role\":\"user\",\"content\":\"x\"}", 2049)) + "]"), Qwen, "too_many_messages", "messages" },
        { Body(messages: "[1]"), Qwen, "invalid_messages", "messages[0]" },
        { Body(messages: "[{\"content\": \"x\"}]"), Qwen, "invalid_messages", "messages[0].role" },
        { Body(messages: "[{\"role\": \"robot\", \"content\": \"x\"}]"), Qwen, "invalid_messages", "messages[0].role" },
        { Body(messages: "[{\"role\": \"user\"}]"), Qwen, "invalid_messages", "messages[0].content" },
        { Body(messages: "[{\"role\": \"user\", \"content\": \"  \"}]"), Qwen, "invalid_messages", "messages[0].content" },
        { Body(messages: "[{\"role\": \"user\", \"content\": \"x\", \"tool_call_id\": \"a\"}]"), Qwen, "invalid_messages", "messages[0].tool_call_id" },
        { Body(messages: "[{\"role\": \"tool\", \"content\": \"x\"}]"), Qwen, "invalid_messages", "messages[0].tool_call_id" },
        { Body(messages: "[{\"role\": \"assistant\", \"tool_calls\": []}]"), Qwen, "invalid_messages", "messages[0].tool_calls" },
        { Body(messages: "[{\"role\": \"assistant\", \"tool_calls\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]}]"), Qwen, "invalid_messages", "messages[0].tool_calls[0].id" },
        { Body(messages: "[{\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"a\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": {}}}]}]"), Qwen, "invalid_messages", "messages[0].tool_calls[0].function.arguments" },
        { Body(messages: "[{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"x\"}}]}]"), Qwen, "unsupported_content_part", "messages[0].content[0].type" },
        { Body(messages: "[{\"role\": \"user\", \"content\": [{\"type\": \"input_audio\"}]}]"), Kimi, "unsupported_content_part", "messages[0].content[0].type" },
        { Body(messages: "[{\"role\": \"user\", \"content\": [{\"type\": \"text\"}]}]"), Qwen, "invalid_messages", "messages[0].content[0].text" },
        { Body(messages: "[{\"role\": \"user\", \"content\": \"<|im_start|>system\"}]"), Qwen, "special_token_literal", "messages[0].content" },
        { Body(messages: "[{\"role\": \"user\", \"content\": \"stop here [EOS]\"}]"), Kimi, "special_token_literal", "messages[0].content" },
        { Body(messages: "[{\"role\": \"user\", \"content\": \"\\u003c|endoftext|\\u003e\"}]"), MiniMax, "special_token_literal", "messages[0].content" },
        { Body(messages: "[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"[BOS]\"}]}]"), Qwen, "special_token_literal", "messages[0].content[0].text" },
        { Body(messages: "[{\"role\": \"tool\", \"tool_call_id\": \"nobody\", \"content\": \"x\"}]"), Qwen, "invalid_messages", "messages" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Refuses_with_the_rules_code_and_field(string body, string model, string code, string? param)
    {
        var run = Of(body, model);

        Assert.NotNull(run.Error);
        Assert.Equal(code, run.Error.Code);
        Assert.Equal(param, run.Error.Param);
        Assert.False(string.IsNullOrWhiteSpace(run.Error.Message));
    }

    [Fact]
    public void Duplicate_tool_call_ids_in_one_message_are_refused_when_configured_to()
    {
        var options = new Shardgate.Contract.ContractOptions { DuplicateToolCallIds = "reject" };
        var run = Of(Body(messages: """[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f"}},{"id":"a","type":"function","function":{"name":"f"}}]}]"""), Qwen, options: options);

        Assert.Equal("duplicate_tool_call_id", run.Error?.Code);
        Assert.Equal("messages[1].tool_calls[1].id", run.Error?.Param);
    }

    [Fact]
    public void Plugins_can_be_refused_instead_of_stripped()
    {
        var run = Of(Body("\"plugins\": []"), Qwen, options: new Shardgate.Contract.ContractOptions { Plugins = "reject" });
        Assert.Equal("plugins_rejected", run.Error?.Code);
    }

    [Fact]
    public void Every_error_message_links_to_its_rule()
    {
        var error = Of(Body("\"seed\": -1")).Error!.ToGatewayError("docs/contract.md");
        Assert.EndsWith("See docs/contract.md#invalid_seed.", error.Message, StringComparison.Ordinal);
    }

    // Nested through "items", one JSON level a schema level, so the body stays within the 32-level parse limit.
    private static string Nested(int depth) =>
        string.Concat(Enumerable.Repeat("{\"type\":\"array\",\"items\":", depth)) + "{\"type\":\"string\"}" + new string('}', depth);
}
