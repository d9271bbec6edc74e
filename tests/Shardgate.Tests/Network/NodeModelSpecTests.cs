using Shardgate.Network;

namespace Shardgate.Tests.Network;

public sealed class NodeModelSpecTests
{
    [Theory]
    [InlineData(new[] { "--max-model-len", "32768" }, null, 32768)]
    [InlineData(new[] { "--tensor-parallel-size", "8", "--max-model-len=131072" }, null, 131072)]
    [InlineData(new[] { "--max-model-len", "128k" }, null, 128000)]
    [InlineData(new[] { "--max-model-len", "128K" }, null, 131072)]
    [InlineData(new[] { "--max-model-len", "1M" }, null, 1048576)]
    [InlineData(new[] { "--max-model-len", "32768" }, 8192, 8192)]
    [InlineData(new[] { "--enable-prefix-caching" }, null, null)]
    [InlineData(new[] { "--max-model-len", "lots" }, null, null)]
    public void Reads_the_context_window_from_args_or_the_explicit_field(string[] args, int? explicitWindow, int? expected) =>
        Assert.Equal(expected, new NodeModelSpec { Args = args, ContextWindow = explicitWindow }.ResolveContextWindow());
}
