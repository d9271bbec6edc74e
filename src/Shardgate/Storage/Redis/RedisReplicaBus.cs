using Microsoft.Extensions.Logging;
using Shardgate.Kernel;
using Shardgate.Observability;
using StackExchange.Redis;

namespace Shardgate.Storage.Redis;

/// <summary>
/// The replicas' bus over Redis pub/sub: one channel per topic (<c>sg:events:{topic}</c>), each message prefixed
/// with its sender so a replica ignores its own. StackExchange.Redis resubscribes after a reconnection; what was
/// published meanwhile is lost, and the periodic reloads catch up.
/// </summary>
internal sealed class RedisReplicaBus(RedisConnection redis, ILogger<RedisReplicaBus> logger) : IReplicaBus
{
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

    public void Subscribe(string topic, Action<string> handler)
    {
        var own = redis.Replica + "\n";
        redis.Subscriber.Subscribe(Channel(topic), (_, value) =>
        {
            var text = (string?)value;
            if (text is null || text.StartsWith(own, StringComparison.Ordinal))
            {
                return;
            }

            handler(text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
        });
    }

    private static RedisChannel Channel(string topic) => RedisChannel.Literal("sg:events:" + topic);
}
