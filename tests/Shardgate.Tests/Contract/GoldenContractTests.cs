using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Contract;

/// <summary>
/// Per family: a realistic client body in, the exact upstream body out. Set SHARDGATE_UPDATE_GOLDEN=1 to rewrite the
/// expected files from the current output, then review the diff like code.
/// </summary>
public sealed class GoldenContractTests
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string, string> Families => new()
    {
        { "kimi", ContractRun.Kimi },
        { "qwen", ContractRun.Qwen },
        { "minimax", ContractRun.MiniMax },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void Client_body_in_upstream_body_out(string family, string model)
    {
        var run = ContractRun.Of(File.ReadAllText(GoldenPath(family, "request")), model);
        Assert.True(run.Error is null, run.Error?.ToString());

        var expectedPath = GoldenPath(family, "upstream");
        if (Environment.GetEnvironmentVariable("SHARDGATE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDirectory(), "Golden", $"{family}.upstream.json"), run.Upstream!.ToJsonString(Pretty) + "\n");
            return;
        }

        var expected = JsonNode.Parse(File.ReadAllText(expectedPath));
        Assert.True(JsonNode.DeepEquals(expected, run.Upstream), $"upstream body differs from {family}.upstream.json:\n{run.Upstream!.ToJsonString(Pretty)}");
    }

    internal static string GoldenPath(string family, string kind) => Path.Combine(AppContext.BaseDirectory, "Contract", "Golden", $"{family}.{kind}.json");

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
