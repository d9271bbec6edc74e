namespace Shardgate.Benchmarks;

/// <summary>
/// The three processes the overhead benchmarks compare, started on loopback: a simulated host with zero artificial
/// latency, a naive ASP.NET pass-through to it, and the gateway (SQLite, billing on: a priced model and a funded
/// key) in front of it. Disposing stops them and deletes the gateway's database.
/// </summary>
internal sealed class OverheadRig : IDisposable
{
    private readonly string _directory;

    private OverheadRig(string directory, ChildProcess sim, ChildProcess proxy, ChildProcess gateway, string key)
    {
        _directory = directory;
        (Sim, Proxy, Gateway, Key) = (sim, proxy, gateway, key);
    }

    public ChildProcess Sim { get; }

    public ChildProcess Proxy { get; }

    public ChildProcess Gateway { get; }

    /// <summary>The funded API key the load uses; the admin key is <c>load</c>.</summary>
    public string Key { get; }

    public static async Task<OverheadRig> StartAsync(Dictionary<string, string> gatewayEnvironment)
    {
        var directory = Directory.CreateTempSubdirectory("shardgate-overhead-").FullName;
        var started = new List<ChildProcess>(3);
        try
        {
            var sim = ChildProcess.Shardgate("sim --family qwen --port {port} --tokens-per-second 0 --ttft-ms 0 --prefill-tokens-per-second 0 --max-concurrent 1000000");
            started.Add(sim);
            await sim.WaitUntilUpAsync("/health");
            var proxy = ChildProcess.Benchmarks($"passthrough {{port}} {sim.BaseUrl}", new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" });
            started.Add(proxy);
            gatewayEnvironment["SHARDGATE_DB"] = Path.Combine(directory, "overhead.db");
            gatewayEnvironment["SHARDGATE_ADMIN_KEY"] = "load";
            var gateway = ChildProcess.Shardgate("serve --urls http://127.0.0.1:{port} --Logging:LogLevel:Default Warning", gatewayEnvironment);
            started.Add(gateway);
            await proxy.WaitUntilUpAsync("/health");
            await gateway.WaitUntilUpAsync("/healthz");
            var key = await LedgerLoad.ProvisionAsync(gateway.BaseUrl, sim.BaseUrl);
            return new OverheadRig(directory, sim, proxy, gateway, key);
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
        Proxy.Dispose();
        Sim.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
