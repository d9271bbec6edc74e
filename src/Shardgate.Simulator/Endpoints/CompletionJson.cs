using System.Text;
using System.Text.Json;
using Shardgate.Simulator.Generation;
using Shardgate.Simulator.Requests;

namespace Shardgate.Simulator.Endpoints;

/// <summary>Writes chat-completion objects and chunks field for field as vLLM's OpenAI server does.</summary>
internal static class CompletionJson
{
    public static void WriteChunkHeader(Utf8JsonWriter w, string id, long created, string model)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", created);
        w.WriteString("model", model);
    }

    public static void WriteRoleChunk(Utf8JsonWriter w, string id, long created, string model, int index, SimChatRequest request)
    {
        WriteChunkHeader(w, id, created, model);
        if (request.ReturnTokenIds && index == 0)
        {
            WritePromptTokenIds(w, request);
        }

        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        w.WriteStartObject("delta");
        w.WriteString("role", "assistant");
        w.WriteString("content", string.Empty);
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteNull("finish_reason");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteDeltaChunk(Utf8JsonWriter w, string id, long created, string model, int index, in PlannedDelta delta, int position, SimChatRequest request)
    {
        WriteChunkHeader(w, id, created, model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        w.WriteStartObject("delta");
        switch (delta.Kind)
        {
            case DeltaKind.Reasoning:
                w.WriteString("reasoning_content", delta.Text);
                break;
            case DeltaKind.Content:
                w.WriteString("content", delta.Text);
                break;
            case DeltaKind.ToolCallStart:
                w.WriteStartArray("tool_calls");
                w.WriteStartObject();
                w.WriteNumber("index", delta.ToolIndex);
                w.WriteString("id", delta.ToolCallId);
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", delta.Text);
                w.WriteString("arguments", string.Empty);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                break;
            case DeltaKind.ToolCallArguments:
                w.WriteStartArray("tool_calls");
                w.WriteStartObject();
                w.WriteNumber("index", delta.ToolIndex);
                w.WriteStartObject("function");
                w.WriteString("arguments", delta.Text);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                break;
        }

        w.WriteEndObject();
        if (request.Logprobs)
        {
            w.WriteStartObject("logprobs");
            w.WriteStartArray("content");
            WriteTokenLogprob(w, delta.Text, request.Logprob.Of(delta.Text, position), request.TopLogprobs);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("logprobs");
        }

        w.WriteNull("finish_reason");
        if (request.ReturnTokenIds)
        {
            w.WriteStartArray("token_ids");
            w.WriteNumberValue(TokenIds.Of(delta.Text));
            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>One entry of vLLM's <c>logprobs.content</c>: the token, a plausible log probability, its bytes, and alternatives.</summary>
    private static void WriteTokenLogprob(Utf8JsonWriter w, string token, double logprob, int top)
    {
        w.WriteStartObject();
        w.WriteString("token", token);
        w.WriteNumber("logprob", logprob);
        w.WriteStartArray("bytes");
        foreach (var b in TokenIds.Bytes(token))
        {
            w.WriteNumberValue(b);
        }

        w.WriteEndArray();
        w.WriteStartArray("top_logprobs");
        for (var k = 0; k < top; k++)
        {
            w.WriteStartObject();
            w.WriteString("token", k == 0 ? token : token + k.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteNumber("logprob", -0.01 * (1 + k));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteFinishChunk(Utf8JsonWriter w, string id, long created, string model, int index, string finishReason)
    {
        WriteChunkHeader(w, id, created, model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        w.WriteStartObject("delta");
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", finishReason);
        w.WriteNull("stop_reason");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteUsageChunk(Utf8JsonWriter w, string id, long created, string model, int promptTokens, int completionTokens, int cachedTokens)
    {
        WriteChunkHeader(w, id, created, model);
        w.WriteStartArray("choices");
        w.WriteEndArray();
        WriteUsage(w, promptTokens, completionTokens, cachedTokens);
        w.WriteEndObject();
    }

    public static void WriteCompletion(Utf8JsonWriter w, string id, long created, string model, IReadOnlyList<ChoicePlan> choices, SimChatRequest request, int cachedTokens)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        if (request.ReturnTokenIds)
        {
            WritePromptTokenIds(w, request);
        }

        w.WriteStartArray("choices");
        var completionTokens = 0;
        var promptTokens = request.PromptTokens;
        foreach (var choice in choices)
        {
            completionTokens += choice.CompletionTokens;
            WriteChoice(w, choice, request);
        }

        w.WriteEndArray();
        WriteUsage(w, promptTokens, completionTokens, cachedTokens);
        w.WriteEndObject();
    }

    private static void WritePromptTokenIds(Utf8JsonWriter w, SimChatRequest request)
    {
        w.WriteStartArray("prompt_token_ids");
        for (var i = 0; i < request.PromptTokens; i++)
        {
            w.WriteNumberValue(i % 163_840);
        }

        w.WriteEndArray();
    }

    private static void WriteChoice(Utf8JsonWriter w, ChoicePlan choice, SimChatRequest request)
    {
        var reasoning = new StringBuilder();
        var content = new StringBuilder();
        var hasContent = false;
        string? toolId = null, toolName = null;
        var arguments = new StringBuilder();
        foreach (var d in choice.Deltas)
        {
            switch (d.Kind)
            {
                case DeltaKind.Reasoning: reasoning.Append(d.Text); break;
                case DeltaKind.Content: content.Append(d.Text); hasContent = true; break;
                case DeltaKind.ToolCallStart: toolId = d.ToolCallId; toolName = d.Text; break;
                case DeltaKind.ToolCallArguments: arguments.Append(d.Text); break;
            }
        }

        w.WriteStartObject();
        w.WriteNumber("index", choice.Index);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        if (hasContent)
        {
            w.WriteString("content", content.ToString());
        }
        else
        {
            w.WriteNull("content");
        }

        if (reasoning.Length > 0)
        {
            w.WriteString("reasoning_content", reasoning.ToString());
        }
        else
        {
            w.WriteNull("reasoning_content");
        }

        w.WriteStartArray("tool_calls");
        if (toolName is not null)
        {
            w.WriteStartObject();
            w.WriteString("id", toolId);
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", toolName);
            w.WriteString("arguments", arguments.ToString());
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        if (request.Logprobs)
        {
            w.WriteStartObject("logprobs");
            w.WriteStartArray("content");
            for (var i = 0; i < choice.Deltas.Count; i++)
            {
                WriteTokenLogprob(w, choice.Deltas[i].Text, request.Logprob.Of(choice.Deltas[i].Text, i), request.TopLogprobs);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("logprobs");
        }

        w.WriteString("finish_reason", choice.FinishReason);
        w.WriteNull("stop_reason");
        if (request.ReturnTokenIds)
        {
            w.WriteStartArray("token_ids");
            foreach (var d in choice.Deltas)
            {
                w.WriteNumberValue(TokenIds.Of(d.Text));
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w, int promptTokens, int completionTokens, int cachedTokens)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", promptTokens);
        w.WriteNumber("total_tokens", promptTokens + completionTokens);
        w.WriteNumber("completion_tokens", completionTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", cachedTokens);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
