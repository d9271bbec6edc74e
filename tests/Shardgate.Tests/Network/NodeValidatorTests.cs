using Shardgate.Network;

namespace Shardgate.Tests.Network;

public sealed class NodeValidatorTests
{
    private static NodeSpec Valid() => new()
    {
        Id = "node-1",
        Host = "10.0.0.5",
        InferencePort = 5000,
        MaxConcurrent = 8,
        Models = new Dictionary<string, NodeModelSpec> { ["m"] = new() { Args = ["--max-model-len", "4096"] } },
    };

    private static readonly Dictionary<string, (Func<NodeSpec, NodeSpec> Change, string? Error)> Cases = new()
    {
        ["valid"] = (n => n, null),
        ["blank id"] = (n => n with { Id = " " }, "id is required"),
        ["id with spaces"] = (n => n with { Id = "a b" }, "id may hold only"),
        ["no host"] = (n => n with { Host = "" }, "host is required unless base_url is set"),
        ["port 0"] = (n => n with { InferencePort = 0 }, "inference_port must be between 1 and 65535, got 0"),
        ["segment without slash"] = (n => n with { InferenceSegment = "v2" }, "inference_segment must start with '/'"),
        ["base_url replaces host and port"] = (n => n with { Host = "", InferencePort = 0, BaseUrl = "https://gpu.example/vllm" }, null),
        ["base_url not http"] = (n => n with { BaseUrl = "ftp://x" }, "base_url must be an absolute http or https URL"),
        ["max_concurrent 0"] = (n => n with { MaxConcurrent = 0 }, "max_concurrent must be greater than 0, got 0"),
        ["weight 0"] = (n => n with { Weight = 0 }, "weight must be a positive number"),
        ["weight NaN"] = (n => n with { Weight = double.NaN }, "weight must be a positive number"),
        ["no models"] = (n => n with { Models = new Dictionary<string, NodeModelSpec>() }, "at least one model must be specified"),
        ["bad max-model-len"] = (n => n with { Models = new Dictionary<string, NodeModelSpec> { ["m"] = new() { Args = ["--max-model-len", "x"] } } }, "not a positive integer"),
    };

    public static TheoryData<string> Rules => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Rules))]
    public void Applies_each_rule(string name)
    {
        var (change, expected) = Cases[name];
        var errors = NodeValidator.Validate(change(Valid()));
        if (expected is null)
        {
            Assert.True(errors.Count == 0, name + ": " + string.Join("; ", errors));
        }
        else
        {
            Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("h", 8000, null, null, "http://h:8000/v1/chat/completions")]
    [InlineData("h", 8000, "/v2", null, "http://h:8000/v2/v1/chat/completions")]
    [InlineData("", 0, null, "https://gpu.example/vllm/", "https://gpu.example/vllm/v1/chat/completions")]
    public void Resolves_the_chat_completions_url(string host, int port, string? segment, string? baseUrl, string expected)
    {
        var node = new NodeSpec { Id = "n", Host = host, InferencePort = port, InferenceSegment = segment, BaseUrl = baseUrl, MaxConcurrent = 1 };
        Assert.Equal(expected, new UpstreamHost("n", node.ResolveBaseUri(), 1, 1).ChatCompletionsUri.ToString());
    }
}
