using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Shardgate.Contract;
using Shardgate.Contract.Tokens;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Contract.Tokens;

public sealed class TokenCounterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sg-counter-").FullName;

    [Fact]
    public void A_model_with_its_own_file_is_counted_with_it_and_calibrated_by_its_id()
    {
        var counter = Counter();
        using var messages = JsonDocument.Parse("""[{"role":"user","content":"hello world"}]""");

        var prompt = counter.ForModel("m", ContractFamily.Qwen, TinyTokenizers.WriteTokenizerJson(_directory, merge: false), defaultCount: 8, messages.RootElement, null, out var key);

        // Three for the answer, three for the message, and eleven characters.
        Assert.Equal((3 + 3 + 11, "m"), (prompt.Counted, key));
    }

    [Fact]
    public void A_tokenizer_file_that_does_not_load_leaves_the_default_count_for_the_family()
    {
        var broken = Path.Combine(_directory, "broken.json");
        File.WriteAllText(broken, "{not json");
        var counter = Counter();
        using var messages = JsonDocument.Parse("""[{"role":"user","content":"hello world"}]""");

        var prompt = counter.ForModel("m", ContractFamily.Kimi, broken, defaultCount: 8, messages.RootElement, null, out var key);

        Assert.Equal((8, "kimi"), (prompt.Counted, key));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TokenCounter Counter()
    {
        var options = new TokenCountOptions();
        return new TokenCounter(options, new TokenCalibration(options), NullLogger<TokenCounter>.Instance);
    }
}
