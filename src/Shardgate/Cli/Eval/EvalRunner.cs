using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Shardgate.Cli.Eval;

/// <summary>
/// Sends every prompt to every model through the gateway as a streamed chat completion, at most
/// <c>concurrency</c> at a time, and measures what a client sees: first token, total time, usage, the answer.
/// Cost is the usage at the served model's price from <c>/v1/models</c>, which is what the ledger charges.
/// </summary>
internal sealed class EvalRunner(HttpClient gateway, int concurrency, int? maxTokens)
{
    public async Task<IReadOnlyList<EvalResult>> RunAsync(IReadOnlyList<string> models, IReadOnlyList<EvalPrompt> prompts, Action onDone, CancellationToken cancellationToken)
    {
        var prices = await PricesAsync(cancellationToken);
        var work = models.SelectMany(m => prompts.Select(p => (Model: m, Prompt: p))).ToList();
        var results = new EvalResult[work.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, work.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            results[i] = await OneAsync(work[i].Model, work[i].Prompt, prices, ct);
            onDone();
        });
        return results;
    }

    private async Task<Dictionary<string, (long Input, long Output)>> PricesAsync(CancellationToken cancellationToken)
    {
        using var response = await gateway.GetAsync("/v1/models", cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new GatewayCallException($"GET /v1/models: {(int)response.StatusCode} {JsonNode.Parse(text)?["error"]?["message"]?.GetValue<string>() ?? text}");
        }

        return JsonNode.Parse(text)!["data"]!.AsArray().ToDictionary(
            m => m!["id"]!.GetValue<string>(),
            m => (m!["pricing"]?["input_per_token"]?.GetValue<long>() ?? 0, m["pricing"]?["output_per_token"]?.GetValue<long>() ?? 0),
            StringComparer.OrdinalIgnoreCase);
    }

    private async Task<EvalResult> OneAsync(string model, EvalPrompt prompt, Dictionary<string, (long Input, long Output)> prices, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = prompt.Messages.DeepClone(),
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
        };
        if (prompt.Tools is { } tools)
        {
            body["tools"] = tools.DeepClone();
        }

        if (maxTokens is { } cap)
        {
            body["max_tokens"] = cap;
        }

        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        try
        {
            using var response = await gateway.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var requestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.First() : null;
            if (!response.IsSuccessStatusCode)
            {
                var error = await response.Content.ReadAsStringAsync(cancellationToken);
                var message = TryMessage(error) ?? error;
                return new EvalResult(model, prompt.Id, prompt.Kind, (int)response.StatusCode, requestId, null, null, clock.Elapsed.TotalMilliseconds, 0, 0, 0, 0, prompt.Checks, message);
            }

            var stream = await StreamAsync(response, clock, cancellationToken);
            var served = stream.Model ?? model;
            var price = prices.GetValueOrDefault(served);
            var passed = await EvalChecks.PassedAsync(prompt, stream.Answer, stream.Tools);
            return new EvalResult(model, prompt.Id, prompt.Kind, (int)response.StatusCode, requestId, served, stream.FirstTokenMs, clock.Elapsed.TotalMilliseconds,
                stream.InputTokens, stream.OutputTokens, (stream.InputTokens * price.Input) + (stream.OutputTokens * price.Output),
                passed, prompt.Checks, stream.Error);
        }
        catch (HttpRequestException ex)
        {
            return new EvalResult(model, prompt.Id, prompt.Kind, 0, null, null, null, clock.Elapsed.TotalMilliseconds, 0, 0, 0, 0, prompt.Checks, ex.Message);
        }
    }

    private static async Task<(string Answer, List<string> Tools, string? Model, double? FirstTokenMs, long InputTokens, long OutputTokens, string? Error)> StreamAsync(HttpResponseMessage response, Stopwatch clock, CancellationToken cancellationToken)
    {
        var answer = new StringBuilder();
        var tools = new List<string>();
        string? model = null, error = null;
        double? firstToken = null;
        long input = 0, output = 0;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
            {
                continue;
            }

            var chunk = JsonNode.Parse(line[6..])!;
            if (chunk["error"] is { } failure)
            {
                error = failure["message"]?.GetValue<string>() ?? failure.ToJsonString();
                continue;
            }

            model ??= chunk["model"]?.GetValue<string>();
            if (chunk["usage"] is JsonObject usage)
            {
                input = usage["prompt_tokens"]?.GetValue<long>() ?? input;
                output = usage["completion_tokens"]?.GetValue<long>() ?? output;
            }

            var delta = chunk["choices"]?.AsArray().FirstOrDefault()?["delta"];
            var content = delta?["content"]?.GetValue<string>();
            var calls = delta?["tool_calls"]?.AsArray();
            if (!string.IsNullOrEmpty(content) || calls is { Count: > 0 })
            {
                firstToken ??= clock.Elapsed.TotalMilliseconds;
            }

            answer.Append(content);
            foreach (var call in calls ?? [])
            {
                if (call?["function"]?["name"]?.GetValue<string>() is { Length: > 0 } name)
                {
                    tools.Add(name);
                }
            }
        }

        return (answer.ToString(), tools, model, firstToken, input, output, error);
    }

    private static string? TryMessage(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["error"]?["message"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
