using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Observability;
using StackExchange.Redis;

namespace Shardgate.Storage.Redis;

/// <summary>
/// Keeps this replica's key in Redis alive (<c>replica:{id}</c> after the prefix, expiring after three heartbeats): while it
/// exists, the replica's in-flight counts count. A replica that crashes stops renewing it, and its slots are free
/// within three intervals; one that stops cleanly deletes it at once.
/// </summary>
internal sealed class ReplicaHeartbeat(RedisConnection redis, SharedStateOptions options, TimeProvider time, ILogger<ReplicaHeartbeat> logger) : BackgroundService
{
    private RedisKey Key => RedisAdmissionLimiter.ReplicaPrefix + redis.Replica;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Alive before the first request is admitted.
        await BeatAsync();
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await redis.Database.KeyDeleteAsync(Key);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            GatewayLog.HeartbeatFailed(logger, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.HeartbeatInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await BeatAsync();
        }
    }

    private async Task BeatAsync()
    {
        try
        {
            await redis.Database.StringSetAsync(Key, "1", options.HeartbeatInterval * 3);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            GatewayLog.HeartbeatFailed(logger, ex);
        }
    }
}
