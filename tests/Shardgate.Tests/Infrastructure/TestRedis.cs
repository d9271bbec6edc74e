namespace Shardgate.Tests.Infrastructure;

/// <summary>
/// The Redis server the tests may use (<c>SHARDGATE_TEST_REDIS</c>, a StackExchange.Redis configuration string;
/// .ci/run starts a throwaway one and sets it). Tests keep apart by the key ids and replica ids they use.
/// </summary>
internal static class TestRedis
{
    public const string SkipReason = "SHARDGATE_TEST_REDIS is not set: no Redis to run the shared-state suite against (scripts/start-test-redis.sh starts one).";

    public static string? Configuration => Environment.GetEnvironmentVariable("SHARDGATE_TEST_REDIS") is { Length: > 0 } s ? s : null;
}
