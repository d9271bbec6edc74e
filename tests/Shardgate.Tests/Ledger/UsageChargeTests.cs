using Shardgate.Kernel;
using Shardgate.Ledger;

namespace Shardgate.Tests.Ledger;

public sealed class UsageChargeTests
{
    private static readonly Price Price = new("m", InputPerToken: 2, OutputPerToken: 8);

    public static TheoryData<int?, int?, int, int, long> Rows => new()
    {
        // prompt tokens, completion tokens (null: no usage reported), delivered chunks, the gateway's prompt count → charge
        { 100, 50, 51, 1_000, (100 * 2) + (50 * 8) },
        { 0, 0, 0, 1_000, 0 },
        // A stream cut before usage: the prompt as the gateway counted it, a token per delivered chunk after the role's.
        { null, null, 11, 1_000, (1_000 * 2) + (10 * 8) },
        { null, null, 1, 1_001, 1_001 * 2 },
        // Nothing reached the client: nothing is owed.
        { null, null, 0, 1_000, 0 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_request_owes_its_reported_usage_or_what_reached_the_client(int? prompt, int? completion, int delivered, int promptTokens, long expected)
    {
        Usage? usage = prompt is { } p ? new Usage(p, completion!.Value, 0) : null;

        Assert.Equal(expected, UsageCharge.For(Price, usage, delivered, promptTokens));
    }
}
