namespace Shardgate.Storage.Sqlite;

/// <summary>This process's turn to write to the SQLite file; disposing it lets the next writer in.</summary>
internal readonly struct SqliteWriteTurn(SemaphoreSlim writers) : IDisposable
{
    public void Dispose() => writers.Release();
}
