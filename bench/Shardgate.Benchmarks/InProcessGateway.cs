using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Shardgate.Hosting;

namespace Shardgate.Benchmarks;

/// <summary>The gateway in the benchmark's own process, on a free loopback port, over a throwaway SQLite file (or the database given).</summary>
internal sealed class InProcessGateway : IAsyncDisposable
{
    private readonly string _directory;

    private InProcessGateway(WebApplication app, Uri baseUrl, string directory)
    {
        App = app;
        BaseUrl = baseUrl;
        _directory = directory;
    }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    public static async Task<InProcessGateway> StartAsync(string adminKey, string? database = null)
    {
        var directory = Directory.CreateTempSubdirectory("shardgate-bench-").FullName;
        var app = await GatewayApplication.CreateAsync(["--urls", "http://127.0.0.1:0", "--Shardgate:Database", database ?? Path.Combine(directory, "bench.db"), "--Shardgate:AdminKey", adminKey, "--Logging:LogLevel:Default", "Warning"]);
        await app.StartAsync();
        var baseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new InProcessGateway(app, baseUrl, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
