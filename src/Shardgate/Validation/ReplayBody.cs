using System.Text.Json;
using System.Text.Json.Nodes;
using Shardgate.Contract.Response;
using Shardgate.Network.Validation;

namespace Shardgate.Validation;

/// <summary>
/// The replay request, as the network's validators build theirs (reference §5.7): the body the original host got,
/// with <c>enforced_tokens</c> holding the tokens it answered, so the validator computes its own log probabilities
/// for the same sequence; not streamed, at temperature 0, with log probabilities asked for.
/// </summary>
internal static class ReplayBody
{
    public static byte[] Build(byte[] original, IReadOnlyList<TokenLogprob> tokens)
    {
        var body = JsonNode.Parse(original)!.AsObject();
        body.Remove("stream_options");
        body.Remove("max_completion_tokens");
        body.Remove("n");
        body["stream"] = false;
        body["temperature"] = 0;
        body["logprobs"] = true;
        body["top_logprobs"] = 5;
        body["max_tokens"] = tokens.Count;
        var enforced = new JsonArray();
        foreach (var token in tokens)
        {
            enforced.Add(new JsonObject { ["token"] = token.Token, ["top_tokens"] = new JsonArray() });
        }

        body["enforced_tokens"] = new JsonObject { ["tokens"] = enforced };
        return JsonSerializer.SerializeToUtf8Bytes(body, ValidationJsonContext.Default.JsonObject);
    }

    /// <summary>The first choice's tokens and log probabilities in a chat completion; empty when it has none.</summary>
    public static List<TokenLogprob> ReadTokens(JsonElement completion)
    {
        var tokens = new List<TokenLogprob>();
        if (completion.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
            && choices[0].TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.Object
            && logprobs.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in content.EnumerateArray())
            {
                if (entry.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String
                    && entry.TryGetProperty("logprob", out var logprob) && logprob.ValueKind == JsonValueKind.Number)
                {
                    tokens.Add(new TokenLogprob(token.GetString()!, logprob.GetDouble()));
                }
            }
        }

        return tokens;
    }
}
