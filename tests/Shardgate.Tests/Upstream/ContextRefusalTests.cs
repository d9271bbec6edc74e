using Shardgate.Upstream;

namespace Shardgate.Tests.Upstream;

public sealed class ContextRefusalTests
{
    [Theory]
    [InlineData("This model's maximum context length is 8192 tokens. However, you requested 13000 tokens (9928 in the messages, 3072 in the completion).", 8192L, 13000L)]
    [InlineData("This model's maximum context length is 32768 tokens. However, your request has 40000 input tokens.", 32768L, 40000L)]
    [InlineData("maximum context length exceeded", null, null)]
    public void Reads_the_window_and_the_real_need_from_vllms_message(string message, long? window, long? requested)
    {
        var refusal = ContextRefusal.From(message);
        Assert.NotNull(refusal);
        Assert.Equal(window, refusal.Window);
        Assert.Equal(requested, refusal.Requested);
    }

    [Fact]
    public void Other_errors_are_not_context_refusals() => Assert.Null(ContextRefusal.From("Invalid JSON body"));
}
