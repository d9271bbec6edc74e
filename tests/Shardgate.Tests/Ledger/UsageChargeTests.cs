using Shardgate.Kernel;
using Shardgate.Ledger;

namespace Shardgate.Tests.Ledger;

public sealed class UsageChargeTests
{
    private static readonly Price Price = new("m", InputPerToken: 2, OutputPerToken: 8);

    public static TheoryData<int?, int?, int, long, long> Rows => new()
    {
        // prompt tokens, completion tokens (null: no usage reported), delivered chunks, prompt bytes → charge
        { 100, 50, 51, 4_000, (100 * 2) + (50 * 8) },
        { 0, 0, 0, 4_000, 0 },
        // A stream cut before usage: the prompt at four bytes a token, a token per delivered chunk after the role's.
        { null, null, 11, 4_000, (1_000 * 2) + (10 * 8) },
        { null, null, 1, 4_001, 1_001 * 2 },
        // Nothing reached the client: nothing is owed.
        { null, null, 0, 4_000, 0 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_request_owes_its_reported_usage_or_what_reached_the_client(int? prompt, int? completion, int delivered, long promptBytes, long expected)
    {
        Usage? usage = prompt is { } p ? new Usage(p, completion!.Value, 0) : null;

        Assert.Equal(expected, UsageCharge.For(Price, usage, delivered, promptBytes));
    }
}
