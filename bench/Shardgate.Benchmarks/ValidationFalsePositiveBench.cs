using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shardgate.Contract.Response;
using Shardgate.Network.Validation;
using Shardgate.Simulator;
using Shardgate.Validation;

namespace Shardgate.Benchmarks;

/// <summary>
/// <c>validation [samples per length]</c>: the validation method's error rates on the simulator. Honest answers
/// (host A) replayed on another honest host (B) measure false positives; a wrong-model host's answers replayed on B
/// measure detection. Each length of answer is sampled alike, since short answers have the fewest positions to
/// average over. Everything runs on loopback and stops by itself.
/// </summary>
internal static class ValidationFalsePositiveBench
{
    private static readonly int[] Lengths = [4, 8, 16, 32, 64, 128];

    public static async Task RunAsync(string[] args)
    {
        var perLength = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var options = new ValidationOptions();
        var threshold = options.ThresholdFor(Contract.ContractFamily.Qwen);
        await using var honest = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, NoiseSeed = 11 });
        await using var validator = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, NoiseSeed = 22 });
        await using var wrong = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, NoiseSeed = 33, Fault = "wrong-model" });
        using var http = new HttpClient();
        Console.WriteLine($"threshold {threshold} (qwen), min agreement {options.MinAgreement}, {perLength} samples per length");
        Console.WriteLine("| output tokens | honest flagged (false positive) | mean abs diff, honest | wrong model caught | mean abs diff, wrong |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
        long honestFlagged = 0, wrongCaught = 0, total = 0;
        foreach (var length in Lengths)
        {
            var (flagged, honestDiff) = await RateAsync(http, honest, validator, length, perLength, threshold, options.MinAgreement);
            var (caught, wrongDiff) = await RateAsync(http, wrong, validator, length, perLength, threshold, options.MinAgreement);
            honestFlagged += flagged;
            wrongCaught += caught;
            total += perLength;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {length} | {flagged}/{perLength} ({100.0 * flagged / perLength:F2} %) | {honestDiff:F4} | {caught}/{perLength} ({100.0 * caught / perLength:F1} %) | {wrongDiff:F4} |"));
        }

        var p = (double)honestFlagged / total;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overall: false positives {honestFlagged}/{total} = {100 * p:F3} %, detection {wrongCaught}/{total} = {100.0 * wrongCaught / total:F2} %"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"an honest host marked suspect ({options.Divergent} of {options.Window}) with that rate: {100 * AtLeast(options.Divergent, options.Window, p):E2} %"));
    }

    private static async Task<(int Flagged, double MeanDiff)> RateAsync(HttpClient http, SimulatedHost original, SimulatedHost validator, int length, int samples, double threshold, double minAgreement)
    {
        var flagged = 0;
        var diff = 0.0;
        for (var i = 0; i < samples; i++)
        {
            var body = new JsonObject
            {
                ["model"] = ModelFamilies.QwenModelId,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"sample {i} of {length} [[sim:tokens={length}]]" }),
                ["logprobs"] = true,
                ["top_logprobs"] = 5,
            };
            var answer = await PostAsync(http, original, JsonSerializer.SerializeToUtf8Bytes(body));
            var replay = await PostAsync(http, validator, ReplayBody.Build(JsonSerializer.SerializeToUtf8Bytes(body), answer));
            var verdict = ReplayComparison.Compare(answer, replay, threshold, minAgreement);
            flagged += verdict.Divergent ? 1 : 0;
            diff += verdict.MeanAbsDiff;
        }

        return (flagged, diff / samples);
    }

    private static async Task<List<TokenLogprob>> PostAsync(HttpClient http, SimulatedHost host, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri(host.BaseUrl, "v1/chat/completions"), content);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return ReplayBody.ReadTokens(document.RootElement);
    }

    // P(X >= k) for X ~ Binomial(n, p).
    private static double AtLeast(int k, int n, double p)
    {
        var sum = 0.0;
        for (var i = k; i <= n; i++)
        {
            sum += Choose(n, i) * Math.Pow(p, i) * Math.Pow(1 - p, n - i);
        }

        return sum;
    }

    private static double Choose(int n, int k)
    {
        var result = 1.0;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }
}
