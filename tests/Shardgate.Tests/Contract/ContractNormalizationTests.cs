using Shardgate.Tests.Infrastructure;
using static Shardgate.Tests.Infrastructure.ContractRun;

namespace Shardgate.Tests.Contract;

/// <summary>One row per rewriting rule and family: the body, the model, a path in the upstream body and its value.</summary>
public sealed class ContractNormalizationTests
{
    public static TheoryData<string, string, string, string> Rows => new()
    {
        // The canonical model goes upstream; extra_body is unwrapped with the top level winning.
        { Body(), Kimi, "model", "\"moonshotai/Kimi-K2.6\"" },
        { Body("\"extra_body\": {\"top_k\": 20, \"temperature\": 0.1}, \"temperature\": 0.7"), Qwen, "top_k", "20" },
        { Body("\"extra_body\": {\"top_k\": 20, \"temperature\": 0.1}, \"temperature\": 0.7"), Qwen, "temperature", "0.7" },
        { Body("\"extra_body\": {\"top_k\": 20}"), Qwen, "extra_body", "<absent>" },
        { Body("\"extra_body\": \"junk\""), Qwen, "extra_body", "<absent>" },
        // The strip list.
        { Body("\"prompt_cache_key\": \"k\""), Qwen, "prompt_cache_key", "<absent>" },
        { Body("\"service_tier\": \"flex\", \"store\": true"), Qwen, "service_tier", "<absent>" },
        { Body("\"plugins\": [{\"id\": \"web\"}]"), Qwen, "plugins", "<absent>" },
        { Body("\"think\": true"), Kimi, "think", "<absent>" },
        // Seeds keep every digit.
        { Body("\"seed\": 9007199254740993"), Qwen, "seed", "9007199254740993" },
        { Body("\"seed\": 18446744073709551615"), Qwen, "seed", "18446744073709551615" },
        // n: clamped, greedy gives 1.
        { Body("\"n\": 0"), Qwen, "n", "1" },
        { Body("\"n\": 1638400"), Qwen, "n", "5" },
        { Body("\"n\": 3, \"temperature\": 0"), Qwen, "n", "1" },
        { Body("\"n\": 3, \"temperature\": \"0\""), Qwen, "n", "1" },
        // Float sanitizer and clamps.
        { Body("\"temperature\": 3.5"), Qwen, "temperature", "2" },
        { Body("\"temperature\": \"1.2\""), Qwen, "temperature", "1.2" },
        { Body("\"temperature\": \"nan\""), Qwen, "temperature", "<absent>" },
        { Body("\"temperature\": \"wat\""), Qwen, "temperature", "<absent>" },
        { Body("\"top_p\": 1.5"), Qwen, "top_p", "1" },
        { Body("\"min_p\": -1"), Qwen, "min_p", "0" },
        { Body("\"top_k\": \"40\""), Qwen, "top_k", "40" },
        { Body("\"top_k\": -1"), Qwen, "top_k", "-1" },
        { Body("\"repetition_penalty\": 5"), Qwen, "repetition_penalty", "2" },
        { Body("\"frequency_penalty\": 3"), Qwen, "frequency_penalty", "2" },
        { Body("\"presence_penalty\": -9"), MiniMax, "presence_penalty", "-2" },
        { Body("\"frequency_penalty\": 1.5"), Kimi, "frequency_penalty", "0" },
        { Body("\"presence_penalty\": 0.5"), Kimi, "presence_penalty", "0" },
        { Body(), Kimi, "frequency_penalty", "<absent>" },
        { Body("\"logit_bias\": {\"1\": 150, \"2\": 5}"), Qwen, "logit_bias", "{\"2\":5}" },
        { Body("\"logit_bias\": {\"1\": 150}"), Qwen, "logit_bias", "<absent>" },
        // Stops and words.
        { Body("\"stop\": \"END\""), Qwen, "stop", "\"END\"" },
        { Body("\"bad_words\": [\" \", \"x\", \"\u00a0\"]"), Qwen, "bad_words", "[\"x\"]" },
        { Body("\"bad_words\": [\"  \"]"), Qwen, "bad_words", "<absent>" },
        { Body("\"min_tokens\": 5, \"stop_token_ids\": [1]"), Qwen, "min_tokens", "<absent>" },
        { Body("\"min_tokens\": 9000, \"max_tokens\": 100"), Qwen, "min_tokens", "100" },
        // Output tokens: default, cap, mirroring, smaller of both, Kimi floor, admin bypass.
        { Body(), Qwen, "max_tokens", "3072" },
        { Body(), Qwen, "max_completion_tokens", "<absent>" },
        { Body("\"max_tokens\": 10001"), Qwen, "max_tokens", "4096" },
        { Body("\"max_completion_tokens\": 5000"), Qwen, "max_tokens", "4096" },
        { Body("\"max_completion_tokens\": 5000"), Qwen, "max_completion_tokens", "4096" },
        { Body("\"max_tokens\": 10001, \"max_completion_tokens\": 20000"), Qwen, "max_completion_tokens", "4096" },
        { Body("\"max_tokens\": 64, \"max_completion_tokens\": 10000"), Qwen, "max_completion_tokens", "64" },
        { Body("\"max_tokens\": 3"), Kimi, "max_tokens", "16" },
        { Body("\"max_tokens\": 0"), Kimi, "max_tokens", "16" },
        // Kimi thinking budget (reference §3.5 examples).
        { Body("\"max_tokens\": 4096"), Kimi, "thinking_token_budget", "2048" },
        { Body("\"max_tokens\": 4096, \"thinking_token_budget\": 500"), Kimi, "thinking_token_budget", "500" },
        { Body("\"max_tokens\": 4096, \"thinking_token_budget\": 10000"), Kimi, "thinking_token_budget", "4032" },
        { Body("\"max_tokens\": 200"), Kimi, "thinking_token_budget", "0" },
        { Body("\"max_tokens\": 256"), Kimi, "thinking_token_budget", "128" },
        { Body("\"max_tokens\": 400"), Kimi, "thinking_token_budget", "200" },
        { Body("\"max_tokens\": 512, \"thinking_token_budget\": 500"), Kimi, "thinking_token_budget", "448" },
        { Body("\"max_tokens\": 100, \"min_tokens\": 100, \"thinking_token_budget\": 50"), Kimi, "thinking_token_budget", "0" },
        { Body("\"max_tokens\": 4096, \"thinking_token_budget\": 0"), Kimi, "thinking_token_budget", "0" },
        { Body("\"thinking_token_budget\": 100"), Qwen, "thinking_token_budget", "<absent>" },
        { Body("\"thinking_token_budget\": 100"), MiniMax, "thinking_token_budget", "<absent>" },
        // Thinking switches per family.
        { Body("\"thinking\": {\"type\": \"disabled\"}"), Kimi, "chat_template_kwargs", "{\"thinking\":false}" },
        { Body("\"thinking\": {\"type\": \"adaptive\"}"), Kimi, "thinking", "<absent>" },
        { Body("\"thinking\": {\"type\": \"enabled\"}, \"chat_template_kwargs\": {\"thinking\": false}"), Kimi, "chat_template_kwargs", "{\"thinking\":false}" },
        { Body("\"thinking\": {\"type\": \"auto\", \"display\": \"x\", \"budget_tokens\": 10}"), Qwen, "thinking", "{\"type\":\"enabled\",\"budget_tokens\":10}" },
        { Body("\"thinking\": {\"type\": \"enabled\"}"), MiniMax, "thinking", "<absent>" },
        { Body("\"enable_thinking\": false"), Qwen, "chat_template_kwargs", "{\"enable_thinking\":false}" },
        { Body("\"enable_thinking\": false"), Qwen, "enable_thinking", "<absent>" },
        { Body("\"enable_thinking\": true, \"chat_template_kwargs\": {\"enable_thinking\": false}"), Kimi, "chat_template_kwargs", "{\"enable_thinking\":false}" },
        { Body("\"enable_thinking\": \"garbage\""), MiniMax, "enable_thinking", "<absent>" },
        { Body("\"reasoning_effort\": \"high\""), Kimi, "reasoning_effort", "<absent>" },
        { Body("\"reasoning\": {\"effort\": \"low\"}"), Qwen, "reasoning", "<absent>" },
        { Body("\"reasoning_split\": true"), MiniMax, "reasoning_split", "true" },
        { Body("\"reasoning_split\": true"), Kimi, "reasoning_split", "<absent>" },
        { Body("\"safety_identifier\": \"u1\""), Kimi, "safety_identifier", "\"u1\"" },
        { Body("\"safety_identifier\": \"u1\""), Qwen, "safety_identifier", "<absent>" },
        // Streams always ask for usage; stream_options go only with streams.
        { Body("\"stream\": true"), Qwen, "stream_options", "{\"include_usage\":true}" },
        { Body("\"stream\": true, \"stream_options\": {\"include_usage\": false, \"continuous_usage_stats\": true}"), Qwen, "stream_options", "{\"include_usage\":true}" },
        { Body("\"stream_options\": \"garbage\""), Qwen, "stream_options", "<absent>" },
        // Tools.
        { Body("\"tool_choice\": \"required\", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]"), Qwen, "tool_choice", "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}" },
        { Body("\"tool_choice\": \"required\", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}, {\"type\": \"function\", \"function\": {\"name\": \"g\"}}]"), Qwen, "tool_choice", "\"auto\"" },
        { Body("\"tool_choice\": \"required\", \"n\": 2, \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}, {\"type\": \"function\", \"function\": {\"name\": \"g\"}}]"), Qwen, "tool_choice", "\"auto\"" },
        { Body("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]"), Qwen, "tool_choice", "\"auto\"" },
        { Body("\"tools\": [], \"tool_choice\": \"auto\""), Qwen, "tool_choice", "<absent>" },
        { Body("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"strict\": true, \"parameters\": {\"type\": \"object\"}}}]"), Qwen, "tools[0].function", "{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}" },
        { Body("\"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"f\"}}"), Qwen, "tool_choice", "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}" },
        // Formats.
        { Body("\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"out.v1\", \"schema\": {\"type\": \"object\"}}}"), Kimi, "response_format.type", "\"json_schema\"" },
        { Body("\"structured_outputs\": {\"choice\": [\"a\", \"b\"], \"_backend\": \"x\"}"), Qwen, "structured_outputs", "{\"choice\":[\"a\",\"b\"]}" },
        // Messages.
        { Body(messages: """[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b","cache_control":{"type":"ephemeral"}}]}]"""), Qwen, "messages[0].content", "\"a\\nb\"" },
        { Body(messages: """[{"role":"user","content":"q"},{"role":"assistant","content":"  "},{"role":"user","content":"again"}]"""), Qwen, "messages[1].content", "\"again\"" },
        { Body(messages: """[{"role":"user","content":"q"},{"role":"tool","tool_call_id":"orphan","content":"x"}]"""), Qwen, "messages[1]", "<absent>" },
        { Body(messages: """[{"role":"user","content":"q"},{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","name":"f","content":""}]"""), Qwen, "messages[2]", "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"<empty tool result>\"}" },
        { Body(messages: """[{"role":"user","content":"q"},{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}]"""), Qwen, "messages[1].content", "null" },
        { Body(messages: """[{"role":"user","content":"q"},{"role":"assistant","content":"ok","reasoning_content":"thought","tool_calls":null}]"""), Kimi, "messages[1]", "{\"role\":\"assistant\",\"content\":\"ok\",\"reasoning_content\":\"thought\"}" },
        { Body(messages: """[{"role":"user","content":"cite [1] and [eos] and a|b"}]"""), Qwen, "messages[0].content", "\"cite [1] and [eos] and a|b\"" },
        // System messages after the first join the leading one (every family's template reads that slot).
        { Body(messages: """[{"role":"system","content":"be brief"},{"role":"user","content":"q"},{"role":"system","content":[{"type":"text","text":"env"}]}]"""), MiniMax, "messages[0].content", "\"be brief\\n\\nenv\"" },
        { Body(messages: """[{"role":"system","content":"be brief"},{"role":"user","content":"q"},{"role":"system","content":"env"}]"""), Kimi, "messages[1]", "{\"role\":\"user\",\"content\":\"q\"}" },
        { Body(messages: """[{"role":"system","content":"be brief"},{"role":"user","content":"q"},{"role":"system","content":"env"}]"""), Qwen, "messages[2]", "<absent>" },
        { Body(messages: """[{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"developer","content":"now terse"},{"role":"user","content":"q2"}]"""), Qwen, "messages[0]", "{\"role\":\"developer\",\"content\":\"now terse\"}" },
        { Body(messages: """[{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"developer","content":"now terse"},{"role":"user","content":"q2"}]"""), Qwen, "messages[3].content", "\"q2\"" },
        { Body(messages: """[{"role":"system","content":"one"},{"role":"system","content":"two"},{"role":"user","content":"q"}]"""), MiniMax, "messages[0].content", "\"one\\n\\ntwo\"" },
        { Body(messages: """[{"role":"system","content":"only"},{"role":"user","content":"q"}]"""), MiniMax, "messages[0]", "{\"role\":\"system\",\"content\":\"only\"}" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Rewrites_the_upstream_body(string body, string model, string path, string expected)
    {
        var run = Of(body, model);

        Assert.True(run.Error is null, run.Error?.ToString());
        Assert.Equal(expected, run.At(path));
    }

    [Fact]
    public void Per_model_limits_override_the_global_ones()
    {
        var options = new Shardgate.Contract.ContractOptions
        {
            Models = new Dictionary<string, Shardgate.Contract.ModelContractOptions> { [Qwen] = new() { DefaultMaxTokens = 1000, MaxTokensCap = 2000 } },
        };

        Assert.Equal("1000", Of(Body(), Qwen, options: options).At("max_tokens"));
        Assert.Equal("2000", Of(Body("\"max_tokens\": 5000"), Qwen, options: options).At("max_tokens"));
        Assert.Equal("4096", Of(Body("\"max_tokens\": 5000"), Kimi, options: options).At("max_tokens"));
    }

    [Fact]
    public void Required_tool_choice_passes_where_the_hosts_support_it()
    {
        var options = new Shardgate.Contract.ContractOptions { Models = new Dictionary<string, Shardgate.Contract.ModelContractOptions> { [Qwen] = new() { SupportsRequiredToolChoice = true } } };
        var run = Of(Body("\"tool_choice\": \"required\", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]"), Qwen, options: options);

        Assert.Equal("\"required\"", run.At("tool_choice"));
    }

    [Fact]
    public void A_vision_model_takes_image_parts_unchanged()
    {
        var options = new Shardgate.Contract.ContractOptions { Models = new Dictionary<string, Shardgate.Contract.ModelContractOptions> { [Generic] = new() { Vision = true } } };
        var run = Of(Body(messages: """[{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"data:x"}}]}]"""), Generic, options: options);

        Assert.Equal("\"image_url\"", run.At("messages[0].content[1].type"));
    }

    [Fact]
    public void Forced_upstream_fields_are_set_only_where_configured()
    {
        var options = new Shardgate.Contract.ContractOptions { Models = new Dictionary<string, Shardgate.Contract.ModelContractOptions> { [Qwen] = new() { ForceUpstreamLogprobs = true } } };

        var forced = Of(Body(), Qwen, options: options);
        Assert.Equal("true", forced.At("logprobs"));
        Assert.Equal("5", forced.At("top_logprobs"));
        Assert.Equal("true", forced.At("return_token_ids"));
        Assert.Equal("<absent>", Of(Body(), Qwen).At("logprobs"));
    }

    [Fact]
    public void Duplicate_tool_call_ids_are_renamed_consistently_and_every_result_kept()
    {
        const string Messages = """
            [{"role":"user","content":"weather twice"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"functions.get_weather:0","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"functions.get_weather:0","content":"sunny"},
             {"role":"user","content":"and tomorrow?"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"functions.get_weather:0","type":"function","function":{"name":"get_weather","arguments":"{}"}},{"id":"functions.get_time:0","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"functions.get_weather:0","content":"rain"},
             {"role":"tool","tool_call_id":"functions.get_time:0","content":"noon"}]
            """;
        var run = Of(Body(messages: Messages), Kimi);

        Assert.Equal("\"functions.get_weather:0\"", run.At("messages[1].tool_calls[0].id"));
        Assert.Equal("\"functions.get_weather:0\"", run.At("messages[2].tool_call_id"));
        Assert.Equal("\"functions.get_weather:1\"", run.At("messages[4].tool_calls[0].id"));
        Assert.Equal("\"functions.get_time:2\"", run.At("messages[4].tool_calls[1].id"));
        Assert.Equal("\"functions.get_weather:1\"", run.At("messages[5].tool_call_id"));
        Assert.Equal("\"rain\"", run.At("messages[5].content"));
        Assert.Equal("\"functions.get_time:2\"", run.At("messages[6].tool_call_id"));
    }

    [Theory]
    [InlineData(4096, false)]
    [InlineData(300, true)]
    public void Kimi_warns_when_thinking_would_leave_little_room_for_the_answer(int maxTokens, bool warned)
    {
        var run = Of(Body($"\"max_tokens\": {maxTokens}"), Kimi);
        Assert.Equal(warned, run.Warnings.Any(w => w.StartsWith("kimi-output-budget", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""[{"role":"system","content":"s"},{"role":"user","content":"q"},{"role":"system","content":"env"}]""", true)]
    [InlineData("""[{"role":"system","content":"s"},{"role":"user","content":"q"}]""", false)]
    public void Merging_system_messages_is_announced(string messages, bool warned)
    {
        var run = Of(Body(messages: messages), Qwen);
        Assert.Equal(warned, run.Warnings.Any(w => w.StartsWith("system-messages", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public void Required_tool_choice_is_emulated_for_one_choice_only(int n, bool emulated)
    {
        var run = Of(Body($"\"n\": {n}, \"temperature\": 0.7, \"tool_choice\": \"required\", \"tools\": [{{\"type\": \"function\", \"function\": {{\"name\": \"f\"}}}}, {{\"type\": \"function\", \"function\": {{\"name\": \"g\"}}}}]"), Qwen);

        Assert.Equal(emulated, run.Warnings.Contains(Shardgate.Contract.Rules.ToolRules.EmulatedWarning));
        Assert.Single(run.Warnings, w => w.StartsWith("tool-choice", StringComparison.Ordinal));
    }

    [Fact]
    public void Kimi_with_thinking_off_gets_no_budget_warning()
    {
        var run = Of(Body("\"max_tokens\": 300, \"thinking\": {\"type\": \"disabled\"}"), Kimi);
        Assert.DoesNotContain(run.Warnings, w => w.StartsWith("kimi-output-budget", StringComparison.Ordinal));
    }

    [Fact]
    public void Untouched_fields_keep_their_exact_bytes()
    {
        var run = Of(Body("\"temperature\": 0.70, \"metadata\": {\"a\": \"\\u00e9\"}"), Qwen);

        Assert.Equal("0.70", run.At("temperature"));
    }
}
