using System.Diagnostics;
using System.Globalization;

namespace Shardgate.Tests.Infrastructure;

/// <summary>
/// The gateway as a separate OS process (the built <c>shardgate.dll</c>, started with <c>serve</c>), so a test can
/// kill it with SIGKILL mid-load, as a crash would.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>Starts <c>shardgate serve</c>; <paramref name="environment"/> adds variables to the process's own.</summary>
    public static async Task<GatewayProcess> StartAsync(string database, string adminKey, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = ClosedPort.Get();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "shardgate.dll"), "serve",
            "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "--Shardgate:Database", database,
            "--Shardgate:AdminKey", adminKey,
            "--Logging:LogLevel:Default", "Warning",
        })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));
        using var client = new HttpClient { BaseAddress = gateway.BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var health = await client.GetAsync("/healthz");
                if (health.IsSuccessStatusCode)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"the gateway process exited with {process.ExitCode}");
            }

            await Task.Delay(100);
        }

        await gateway.DisposeAsync();
        throw new TimeoutException("the gateway process did not become ready in 30 s");
    }

    /// <summary>SIGKILL: no shutdown hooks, no draining, as in a crash.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
