using System.Text.Json.Nodes;
using Shardgate.Simulator;

namespace Shardgate.Simulator.Tests.Endpoints;

/// <summary>The Gonka fork's validation replay (<c>enforced_tokens</c>) and the <c>wrong-model</c> fault it exists to catch.</summary>
public sealed class ValidationReplayTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    private static async Task<(string[] Tokens, double[] Logprobs, string Content)> AskAsync(SimulatedHost host, string prompt, string[]? enforced = null)
    {
        var (_, completion) = await SimHttp.PostAsync(host, SimHttp.Body(Qwen, prompt, extra: b =>
        {
            b["logprobs"] = true;
            b["top_logprobs"] = 5;
            if (enforced is not null)
            {
                b["temperature"] = 0;
                b["enforced_tokens"] = new JsonObject { ["tokens"] = new JsonArray([.. enforced.Select(t => (JsonNode)new JsonObject { ["token"] = t, ["top_tokens"] = new JsonArray() })]) };
            }
        }));
        var choice = completion["choices"]![0]!;
        var content = choice["logprobs"]!["content"]!.AsArray();
        return ([.. content.Select(c => c!["token"]!.GetValue<string>())], [.. content.Select(c => c!["logprob"]!.GetValue<double>())], choice["message"]!["content"]!.GetValue<string>());
    }

    private static double MeanAbsDiff(double[] a, double[] b) => a.Zip(b).Average(p => Math.Abs(p.First - p.Second));

    [Fact]
    public async Task A_replay_answers_exactly_the_enforced_tokens_and_two_honest_hosts_agree_closely()
    {
        await using var original = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, NoiseSeed = 1 });
        await using var validator = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, NoiseSeed = 2 });
        var answer = await AskAsync(original, "tell me something [[sim:tokens=40]]");

        var replay = await AskAsync(validator, "tell me something [[sim:tokens=40]]", answer.Tokens);

        Assert.Equal(answer.Tokens, replay.Tokens);
        Assert.Equal(answer.Content, replay.Content);
        Assert.NotEqual(answer.Logprobs, replay.Logprobs);
        Assert.InRange(MeanAbsDiff(answer.Logprobs, replay.Logprobs), 0, 0.05);
    }

    [Fact]
    public async Task A_wrong_model_host_writes_the_same_text_with_other_log_probabilities()
    {
        await using var honest = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, LogprobNoise = 0 });
        await using var wrong = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, LogprobNoise = 0, Fault = "wrong-model" });

        var truth = await AskAsync(honest, "same prompt [[sim:tokens=30]]");
        var imitation = await AskAsync(wrong, "same prompt [[sim:tokens=30]]");
        var replayOfImitation = await AskAsync(honest, "same prompt [[sim:tokens=30]]", imitation.Tokens);

        Assert.Equal(truth.Content, imitation.Content);
        Assert.Equal(truth.Logprobs, replayOfImitation.Logprobs);
        Assert.True(MeanAbsDiff(imitation.Logprobs, replayOfImitation.Logprobs) > 0.1);
    }

    [Fact]
    public async Task Enforced_tokens_that_are_not_objects_with_a_token_are_a_400()
    {
        await using var host = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var (response, body) = await SimHttp.PostAsync(host, SimHttp.Body(Qwen, "x", extra: b => b["enforced_tokens"] = new JsonObject { ["tokens"] = new JsonArray(1, 2) }));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("enforced_tokens", body.ToJsonString(), StringComparison.Ordinal);
    }
}
