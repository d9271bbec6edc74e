namespace Shardgate.Tests.Infrastructure;

/// <summary>The storage backend a test suite runs against.</summary>
public enum Backend
{
    Sqlite,
    Postgres,
}
