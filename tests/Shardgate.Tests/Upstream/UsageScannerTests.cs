using System.Text;
using Shardgate.Kernel;
using Shardgate.Upstream;

namespace Shardgate.Tests.Upstream;

public sealed class UsageScannerTests
{
    [Theory]
    [InlineData("""{"id":"x","choices":[],"usage":{"prompt_tokens":12,"total_tokens":20,"completion_tokens":8}}""", true, 12, 8, 0, true)]
    [InlineData("""{"usage":{"prompt_tokens":3,"completion_tokens":4,"prompt_tokens_details":{"cached_tokens":2}},"choices":[]}""", true, 3, 4, 2, true)]
    [InlineData("""{"choices":[{"index":0,"message":{"content":"usage"}}],"usage":{"prompt_tokens":5,"completion_tokens":6}}""", true, 5, 6, 0, false)]
    [InlineData("""{"choices":[{"delta":{"content":"hi"}}],"usage":null}""", false, 0, 0, 0, false)]
    [InlineData("""{"choices":[{"delta":{"content":"\"usage\":{\"prompt_tokens\":9}"}}]}""", false, 0, 0, 0, false)]
    [InlineData("""not json""", false, 0, 0, 0, false)]
    public void Reads_top_level_usage_only(string json, bool found, int prompt, int completion, int cached, bool usageOnly)
    {
        Assert.Equal(found, UsageScanner.TryRead(Encoding.UTF8.GetBytes(json), out var usage, out var only));
        Assert.Equal(new Usage(prompt, completion, cached), usage);
        Assert.Equal(usageOnly, only);
    }
}
