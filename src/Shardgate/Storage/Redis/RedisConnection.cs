using Shardgate.Kernel;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Shardgate.Storage.Redis;

/// <summary>
/// The one multiplexed connection to Redis, and this replica's id there. It reconnects by itself; while it is down,
/// commands fail at once (no backlog), so a request waits for Redis at most <see cref="SharedStateOptions.Timeout"/>.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;

    private RedisConnection(ConnectionMultiplexer multiplexer, string prefix, string replica)
    {
        _multiplexer = multiplexer;
        Prefix = prefix;
        Replica = replica;
        Database = multiplexer.GetDatabase().WithKeyPrefix(prefix);
    }

    /// <summary><see cref="SharedStateOptions.Prefix"/>: <see cref="Database"/> and <see cref="Subscriber"/> add it themselves; a script that names keys in its arguments must add it too.</summary>
    public string Prefix { get; }

    /// <summary>Unique per process: the field this replica's in-flight counts are kept under.</summary>
    public string Replica { get; }

    public IDatabase Database { get; }

    public ISubscriber Subscriber => _multiplexer.GetSubscriber();

    public bool IsConnected => _multiplexer.IsConnected;

    public event EventHandler<ConnectionFailedEventArgs> Restored
    {
        add => _multiplexer.ConnectionRestored += value;
        remove => _multiplexer.ConnectionRestored -= value;
    }

    /// <summary>Connects, or starts trying to: a Redis that is down at start is connected to when it comes up.</summary>
    public static RedisConnection Connect(SharedStateOptions options)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.AsyncTimeout = (int)options.Timeout.TotalMilliseconds;
        configuration.SyncTimeout = (int)options.Timeout.TotalMilliseconds;
        configuration.ConnectTimeout = Math.Max(1000, (int)options.Timeout.TotalMilliseconds);
        configuration.ClientName = "shardgate";
        configuration.ChannelPrefix = RedisChannel.Literal(options.Prefix);
        var multiplexer = ConnectionMultiplexer.Connect(configuration);
        return new RedisConnection(multiplexer, options.Prefix, ReplicaId.New());
    }

    public ValueTask DisposeAsync() => _multiplexer.DisposeAsync();
}
