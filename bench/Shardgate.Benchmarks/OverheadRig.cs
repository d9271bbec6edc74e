namespace Shardgate.Benchmarks;

/// <summary>
/// The processes the overhead benchmarks compare, started on loopback: a simulated host with zero artificial
/// latency, a naive ASP.NET pass-through to it, nginx as a plain proxy to it when nginx is installed, and the
/// gateway (SQLite, billing on: a priced model and a funded key) in front of it. Disposing stops them and deletes
/// the gateway's database.
/// </summary>
internal sealed class OverheadRig : IDisposable
{
    private readonly string _directory;

    private OverheadRig(string directory, ChildProcess sim, ChildProcess proxy, ChildProcess? nginx, ChildProcess gateway, string key)
    {
        _directory = directory;
        (Sim, Proxy, Nginx, Gateway, Key) = (sim, proxy, nginx, gateway, key);
    }

    public ChildProcess Sim { get; }

    public ChildProcess Proxy { get; }

    /// <summary>nginx as a plain proxy, or null when it is not installed (<c>apt-get install nginx-light</c>).</summary>
    public ChildProcess? Nginx { get; }

    public ChildProcess Gateway { get; }

    /// <summary>The funded API key the load uses; the admin key is <c>load</c>.</summary>
    public string Key { get; }

    public static async Task<OverheadRig> StartAsync(Dictionary<string, string> gatewayEnvironment)
    {
        var directory = Directory.CreateTempSubdirectory("shardgate-overhead-").FullName;
        var started = new List<ChildProcess>(4);
        try
        {
            var sim = ChildProcess.Shardgate("sim --family qwen --port {port} --tokens-per-second 0 --ttft-ms 0 --prefill-tokens-per-second 0 --max-concurrent 1000000");
            started.Add(sim);
            await sim.WaitUntilUpAsync("/health");
            var proxy = ChildProcess.Benchmarks($"passthrough {{port}} {sim.BaseUrl}", new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" });
            started.Add(proxy);
            var nginx = ChildProcess.Nginx(sim.BaseUrl, Directory.CreateDirectory(Path.Combine(directory, "nginx")).FullName);
            if (nginx is not null)
            {
                started.Add(nginx);
            }

            gatewayEnvironment["SHARDGATE_DB"] = Path.Combine(directory, "overhead.db");
            gatewayEnvironment["SHARDGATE_ADMIN_KEY"] = "load";
            var gateway = ChildProcess.Shardgate("serve --urls http://127.0.0.1:{port} --Logging:LogLevel:Default Warning", gatewayEnvironment);
            started.Add(gateway);
            await proxy.WaitUntilUpAsync("/health");
            await gateway.WaitUntilUpAsync("/healthz");
            if (nginx is not null)
            {
                await nginx.WaitUntilUpAsync("/health");
            }

            var key = await LedgerLoad.ProvisionAsync(gateway.BaseUrl, sim.BaseUrl);
            return new OverheadRig(directory, sim, proxy, nginx, gateway, key);
        }
        catch
        {
            started.ForEach(p => p.Dispose());
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        Gateway.Dispose();
        Nginx?.Dispose();
        Proxy.Dispose();
        Sim.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
