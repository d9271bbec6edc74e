using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Contract;

namespace Shardgate.Tests.Infrastructure;

/// <summary>Runs a body through the real contract (parse, rules, write) for one model, as the endpoint does.</summary>
internal sealed record ContractRun(JsonObject? Upstream, ContractError? Error, IReadOnlyList<string> Warnings)
{
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string Kimi = "moonshotai/Kimi-K2.6";
    public const string Qwen = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    public const string MiniMax = "MiniMaxAI/MiniMax-M2.7";
    public const string Generic = "acme/generic-model";

    public static ContractRun Of(string body, string model = Qwen, ContractOptions? options = null)
    {
        options ??= new ContractOptions();
        var bytes = Encoding.UTF8.GetBytes(body);
        if (!ParsedRequest.TryParse(bytes, options, out var parsed, out var parseError))
        {
            return new ContractRun(null, parseError, []);
        }

        using (parsed)
        {
            var context = new ChatPipeline(options).Apply(parsed, ModelProfile.For(model, options), out var error);
            if (error is not null)
            {
                return new ContractRun(null, error, context.Warnings);
            }

            using var written = UpstreamBodyWriter.Write(context, bytes.Length);
            return new ContractRun((JsonObject)JsonNode.Parse(written.WrittenSpan)!, null, context.Warnings);
        }
    }

    /// <summary>A minimal valid body with extra top-level JSON spliced in (<c>"x": 1, </c> style, without braces).</summary>
    public static string Body(string extra = "", string messages = """[{"role":"user","content":"hi"}]""") =>
        "{" + (extra.Length > 0 ? extra + ", " : string.Empty) + "\"model\": \"m\", \"messages\": " + messages + "}";

    /// <summary>Reads a dotted path with indexes (<c>messages[1].content</c>) as compact JSON, or "&lt;absent&gt;".</summary>
    public string At(string path)
    {
        JsonNode? node = Upstream ?? throw new InvalidOperationException("the request was refused: " + Error);
        foreach (var part in path.Split('.'))
        {
            var name = part;
            int? index = null;
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0)
            {
                name = part[..bracket];
                index = int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
            }

            if (node is not JsonObject obj || !obj.TryGetPropertyValue(name, out node))
            {
                return "<absent>";
            }

            if (index is { } i)
            {
                if (node is not JsonArray array || i >= array.Count)
                {
                    return "<absent>";
                }

                node = array[i];
            }
        }

        return node?.ToJsonString(Readable) ?? "null";
    }
}
