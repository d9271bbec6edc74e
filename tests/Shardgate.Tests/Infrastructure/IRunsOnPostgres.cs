namespace Shardgate.Tests.Infrastructure;

/// <summary>Marks a suite class that needs PostgreSQL; its tests are skipped, with the reason, when none is configured.</summary>
public interface IRunsOnPostgres;
