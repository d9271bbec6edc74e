using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Shardgate.Benchmarks;

/// <summary>
/// A gateway, simulated host or reference proxy run as its own process on loopback, as it is deployed: its own
/// runtime, thread pool and GC, so what the benchmark measures of it is not mixed with the load generator's work.
/// Killed with its process tree on dispose, so a failed run leaves nothing behind.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Id => _process.Id;

    public Uri BaseUrl => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The built <c>shardgate</c> with the arguments; <c>{port}</c> in them becomes a free loopback port.</summary>
    public static ChildProcess Shardgate(string arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(Path.Combine(AppContext.BaseDirectory, "shardgate.dll"), arguments, environment);

    /// <summary>This benchmark program itself in another mode, for reference servers.</summary>
    public static ChildProcess Benchmarks(string arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(Path.Combine(AppContext.BaseDirectory, "Shardgate.Benchmarks.dll"), arguments, environment);

    /// <summary>
    /// nginx as a plain reverse proxy to <paramref name="upstream"/> (the other reference), with its
    /// configuration and temporary files in <paramref name="directory"/>; null when nginx is not installed.
    /// </summary>
    public static ChildProcess? Nginx(Uri upstream, string directory)
    {
        const string nginx = "/usr/sbin/nginx";
        if (!File.Exists(nginx))
        {
            return null;
        }

        var port = FreePort();
        var configuration = Path.Combine(directory, "nginx.conf");
        File.WriteAllText(configuration, NginxConfiguration.For(upstream, port, directory));
        return Start(nginx, $"-p \"{directory}\" -c \"{configuration}\"", null, "nginx", port);
    }

    /// <summary>Resident memory in KiB, from <c>/proc/[pid]/status</c>.</summary>
    public long ResidentKiB() => Status("VmRSS:");

    /// <summary>The most resident memory the process has had, in KiB.</summary>
    public long PeakResidentKiB() => Status("VmHWM:");

    /// <summary>The CPU time and context switches the process has used so far.</summary>
    public ProcessUse Use() => ProcessUse.Read(_process.Id);

    private long Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>Polls <paramref name="path"/> until it answers 2xx, with <paramref name="client"/> if given (an HTTP/2-only endpoint needs one); at most 60 s.</summary>
    public async Task WaitUntilUpAsync(string path, HttpClient? client = null)
    {
        using var own = client is null ? new HttpClient { Timeout = TimeSpan.FromSeconds(5) } : null;
        client ??= own!;
        for (var i = 0; i < 120; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"process {_process.StartInfo.Arguments} exited with {_process.ExitCode}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseUrl, path));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException($"{_process.StartInfo.Arguments} did not answer {path} within 60 s");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private static ChildProcess Start(string dll, string arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var port = FreePort();
        return Start("dotnet", $"\"{dll}\" {arguments.Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)}", environment, Path.GetFileNameWithoutExtension(dll), port);
    }

    private static ChildProcess Start(string program, string arguments, IReadOnlyDictionary<string, string>? environment, string name, int port)
    {
        var info = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine($"  [{name}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, port);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
