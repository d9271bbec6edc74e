namespace Shardgate.Storage;

/// <summary>Brings the chosen backend's schema up to date at start, and names it for logs.</summary>
internal interface IDatabaseSetup
{
    string Description { get; }

    Task MigrateAsync(CancellationToken cancellationToken);
}
