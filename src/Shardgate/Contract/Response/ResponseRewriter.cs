using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shardgate.Contract.Response;

/// <summary>
/// Applies a <see cref="ResponsePlan"/> to one response: chunk by chunk for streams (it keeps per-choice state), or
/// to the whole completion. Only requests whose plan needs it pay for parsing chunks. With
/// <see cref="ResponsePlan.CaptureLogprobs"/> the first choice's tokens and log probabilities go to
/// <paramref name="captured"/> before anything is stripped.
/// </summary>
internal sealed class ResponseRewriter(ResponsePlan plan, List<TokenLogprob>? captured = null)
{
    private static readonly string[] ForcedFields = ["logprobs", "top_logprobs", "token_ids", "prompt_token_ids", "prompt_logprobs"];
    private readonly Dictionary<int, ThinkSplitter> _splitters = [];
    private readonly HashSet<string> _toolCallIds = new(StringComparer.Ordinal);
    private int _toolCallCount;

    /// <summary>Rewrites one <c>chat.completion.chunk</c>; null when it passes unchanged.</summary>
    public byte[]? RewriteChunk(ReadOnlySpan<byte> payload)
    {
        if (JsonNode.Parse(payload) is not JsonObject chunk)
        {
            return null;
        }

        var changed = plan.StripForcedFields && StripForced(chunk);
        if (chunk["choices"] is JsonArray choices)
        {
            foreach (var choice in choices.OfType<JsonObject>())
            {
                var index = choice["index"]?.GetValue<int>() ?? 0;
                if (index == 0)
                {
                    Capture(choice);
                }

                changed |= plan.StripForcedFields && StripForced(choice);
                if (choice["delta"] is not JsonObject delta)
                {
                    continue;
                }

                if (plan.SplitThinking)
                {
                    changed |= SplitDelta(index, delta, finished: choice["finish_reason"] is JsonValue);
                }

                if (plan.UniqueToolCallIds && delta["tool_calls"] is JsonArray calls)
                {
                    changed |= MakeIdsUnique(calls);
                }
            }
        }

        return changed ? Serialize(chunk) : null;
    }

    /// <summary>Rewrites a whole <c>chat.completion</c>; null when it passes unchanged.</summary>
    public byte[]? RewriteCompletion(ReadOnlySpan<byte> body)
    {
        if (JsonNode.Parse(body) is not JsonObject completion)
        {
            return null;
        }

        var changed = plan.StripForcedFields && StripForced(completion);
        if (completion["choices"] is JsonArray choices)
        {
            foreach (var choice in choices.OfType<JsonObject>())
            {
                if ((choice["index"]?.GetValue<int>() ?? 0) == 0)
                {
                    Capture(choice);
                }

                changed |= plan.StripForcedFields && StripForced(choice);
                if (choice["message"] is not JsonObject message)
                {
                    continue;
                }

                if (plan.SplitThinking && message["content"] is JsonValue content && content.GetValueKind() == JsonValueKind.String)
                {
                    var (reasoning, visible) = ThinkSplitter.SplitWhole(content.GetValue<string>());
                    if (reasoning is not null)
                    {
                        message["content"] = visible.Length == 0 ? null : visible;
                        message["reasoning_content"] = reasoning;
                        changed = true;
                    }
                }

                if (plan.UniqueToolCallIds && message["tool_calls"] is JsonArray calls)
                {
                    changed |= MakeIdsUnique(calls);
                }
            }
        }

        return changed ? Serialize(completion) : null;
    }

    private bool SplitDelta(int index, JsonObject delta, bool finished)
    {
        if (!_splitters.TryGetValue(index, out var splitter))
        {
            _splitters[index] = splitter = new ThinkSplitter();
        }

        var text = delta["content"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        if (text is null && !finished)
        {
            return false;
        }

        var (reasoning, content) = text is null ? (string.Empty, string.Empty) : splitter.Push(text);
        if (finished)
        {
            var (restReasoning, restContent) = splitter.Flush();
            reasoning += restReasoning;
            content += restContent;
        }

        if (text is not null && reasoning.Length == 0 && content == text)
        {
            return false;
        }

        if (content.Length > 0 || (text is not null && delta.ContainsKey("role")))
        {
            delta["content"] = content;
        }
        else
        {
            delta.Remove("content");
        }

        if (reasoning.Length > 0)
        {
            delta["reasoning_content"] = reasoning;
        }

        return true;
    }

    /// <summary>
    /// Kimi numbers tool calls per choice, so with n &gt; 1 the ids repeat across choices; a repeated id is renamed to
    /// the canonical <c>functions.&lt;name&gt;:&lt;index&gt;</c> with an index no call of this response has used.
    /// </summary>
    private bool MakeIdsUnique(JsonArray calls)
    {
        var changed = false;
        foreach (var call in calls.OfType<JsonObject>())
        {
            if (call["id"] is not JsonValue idValue || idValue.GetValueKind() != JsonValueKind.String)
            {
                continue;
            }

            var id = idValue.GetValue<string>();
            _toolCallCount++;
            if (_toolCallIds.Add(id))
            {
                continue;
            }

            var name = call["function"]?["name"]?.GetValue<string>() ?? "call";
            var index = _toolCallCount - 1;
            string renamed;
            while (!_toolCallIds.Add(renamed = string.Create(CultureInfo.InvariantCulture, $"functions.{name}:{index}")))
            {
                index++;
            }

            call["id"] = renamed;
            changed = true;
        }

        return changed;
    }

    private static byte[] Serialize(JsonObject node)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void Capture(JsonObject choice)
    {
        if (captured is null || choice["logprobs"]?["content"] is not JsonArray content)
        {
            return;
        }

        foreach (var entry in content.OfType<JsonObject>())
        {
            if (entry["token"] is JsonValue token && token.GetValueKind() == JsonValueKind.String
                && entry["logprob"] is JsonValue logprob && logprob.GetValueKind() == JsonValueKind.Number)
            {
                captured.Add(new TokenLogprob(token.GetValue<string>(), logprob.GetValue<double>()));
            }
        }
    }

    private static bool StripForced(JsonObject node)
    {
        var changed = false;
        foreach (var field in ForcedFields)
        {
            changed |= node.Remove(field);
        }

        return changed;
    }
}
