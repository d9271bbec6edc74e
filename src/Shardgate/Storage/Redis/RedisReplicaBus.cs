using Microsoft.Extensions.Logging;
using Shardgate.Kernel;
using Shardgate.Observability;
using StackExchange.Redis;

namespace Shardgate.Storage.Redis;

/// <summary>
/// The replicas' bus over Redis pub/sub: one channel per topic (<c>events:{topic}</c> after the prefix), each message prefixed
/// with its sender so a replica ignores its own. StackExchange.Redis resubscribes after a reconnection; what was
/// published meanwhile is lost, and the periodic reloads catch up.
/// </summary>
internal sealed class RedisReplicaBus(RedisConnection redis, ILogger<RedisReplicaBus> logger) : IReplicaBus
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    public void Publish(string topic, string message)
    {
        try
        {
            redis.Subscriber.Publish(Channel(topic), redis.Replica + "\n" + message, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            GatewayLog.SharedStateWriteFailed(logger, ex);
        }
    }

    public async Task SubscribeAsync(string topic, Action<string> handler, CancellationToken cancellationToken)
    {
        var own = redis.Replica + "\n";
        void Deliver(RedisChannel channel, RedisValue value)
        {
            var text = (string?)value;
            if (text is null || text.StartsWith(own, StringComparison.Ordinal))
            {
                return;
            }

            handler(text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
        }

        // A start waits a few seconds for Redis (a busy machine may take longer than one command's timeout), then
        // goes on without it: the subscription keeps being tried, and the periodic reloads cover the gap.
        var task = SubscribeUntilDoneAsync(Channel(topic), Deliver, topic);
        await Task.WhenAny(task, Task.Delay(StartWait, cancellationToken));
    }

    private async Task SubscribeUntilDoneAsync(RedisChannel channel, Action<RedisChannel, RedisValue> deliver, string topic)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await redis.Subscriber.SubscribeAsync(channel, deliver);
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (attempt == 0)
                {
                    GatewayLog.SubscriptionPending(logger, ex, topic);
                }

                await Task.Delay(RetryInterval);
            }
        }
    }

    private static RedisChannel Channel(string topic) => RedisChannel.Literal("events:" + topic);
}
