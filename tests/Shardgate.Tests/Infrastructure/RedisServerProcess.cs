using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Shardgate.Tests.Infrastructure;

/// <summary>
/// A redis-server of a test's own, on a loopback port, without persistence, that the test may stop and start again
/// (the shared test Redis must never be stopped under other tests).
/// </summary>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private Process? _process;

    private RedisServerProcess(int port) => Port = port;

    public int Port { get; }

    public string Configuration => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public static async Task<RedisServerProcess> StartAsync()
    {
        var server = new RedisServerProcess(ClosedPort.Get());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again, empty, as after a restart without persistence) and waits until it answers.</summary>
    public async Task RestartAsync()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server", ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync(Configuration + ",connectTimeout=500");
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException("redis-server did not answer within 10 s");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
    }
}
