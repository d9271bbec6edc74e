using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Catalog;
using Shardgate.Kernel;
using Shardgate.Observability;

namespace Shardgate.Hosting;

/// <summary>
/// The catalog file, read at start (an invalid file stops the start, naming the line and the reason) and again every
/// <see cref="CatalogOptions.PollInterval"/>. Polling rather than a file watcher: it sees edits on bind mounts,
/// network volumes and editors that replace the file, where change notifications are lost.
/// </summary>
internal sealed class CatalogFileSource(CatalogOptions options, ModelCatalog catalog, TimeProvider time, ILogger<CatalogFileSource> logger) : BackgroundService
{
    public const string Author = "file";

    private string? _lastRead;

    public async Task LoadAtStartAsync(CancellationToken cancellationToken)
    {
        if (options.Path is not { Length: > 0 } path)
        {
            return;
        }

        if (!File.Exists(path))
        {
            throw new StartupException($"Shardgate:Catalog:Path: the catalog file '{Path.GetFullPath(path)}' does not exist");
        }

        _lastRead = await File.ReadAllTextAsync(path, cancellationToken);
        var (_, problems) = await catalog.ApplyAsync(_lastRead, $"{Author} {path}", cancellationToken);
        if (problems.Count > 0)
        {
            throw new StartupException($"the catalog file '{Path.GetFullPath(path)}' is invalid: " + string.Join("; ", problems));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Path is not { Length: > 0 } path)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var text = await File.ReadAllTextAsync(path, stoppingToken);
                    if (text != _lastRead)
                    {
                        // Remembered before applying, so an invalid edit is reported once, not on every tick.
                        _lastRead = text;
                        await catalog.ApplyAsync(text, $"{Author} {path}", stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Mid-save, or briefly gone while an editor replaces it: the next tick reads it again.
                    GatewayLog.CatalogReadFailed(logger, ex, path);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
