using System.Text;
using Shardgate.Upstream;

namespace Shardgate.Tests.Upstream;

public sealed class HostErrorReaderTests
{
    [Theory]
    [InlineData("""{"error":{"message":"too long","type":"BadRequestError","code":400}}""", "too long")]
    [InlineData("""{"object":"error","message":"old vllm","type":"BadRequestError"}""", "old vllm")]
    [InlineData("""{"error":"plain string"}""", "plain string")]
    [InlineData("upstream exploded", "upstream exploded")]
    [InlineData("", "(no body)")]
    public void Extracts_a_readable_message(string body, string expected) =>
        Assert.Equal(expected, HostErrorReader.Extract(Encoding.UTF8.GetBytes(body)));
}
