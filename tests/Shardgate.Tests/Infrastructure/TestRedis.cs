namespace Shardgate.Tests.Infrastructure;

/// <summary>
/// The Redis server the tests may use (<c>SHARDGATE_TEST_REDIS</c>, a StackExchange.Redis configuration string;
/// .ci/run starts a throwaway one and sets it). Gateways under test keep apart by a prefix of their own
/// (<see cref="NewPrefix"/>): a fresh database starts its key ids at 1 again, and node ids repeat across tests.
/// </summary>
internal static class TestRedis
{
    public const string SkipReason = "SHARDGATE_TEST_REDIS is not set: no Redis to run the shared-state suite against (scripts/start-test-redis.sh starts one).";

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12] + ":";

    public static string? Configuration => Environment.GetEnvironmentVariable("SHARDGATE_TEST_REDIS") is { Length: > 0 } s ? s : null;
}
