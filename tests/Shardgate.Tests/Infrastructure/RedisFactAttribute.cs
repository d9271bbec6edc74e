namespace Shardgate.Tests.Infrastructure;

/// <summary>A fact that needs the real Redis of <see cref="TestRedis"/> (and, with <see cref="NeedsPostgres"/>, PostgreSQL); skipped, saying why, without them.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute(bool needsPostgres = false)
    {
        NeedsPostgres = needsPostgres;
        if (TestRedis.Configuration is null)
        {
            Skip = TestRedis.SkipReason;
        }
        else if (needsPostgres && TestPostgres.ConnectionString is null)
        {
            Skip = TestPostgres.SkipReason;
        }
    }

    public bool NeedsPostgres { get; }
}
