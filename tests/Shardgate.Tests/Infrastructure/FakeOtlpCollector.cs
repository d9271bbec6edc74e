using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shardgate.Tests.Infrastructure;

/// <summary>An OTLP/HTTP receiver that accepts every export and remembers which signal's path it came to.</summary>
internal sealed class FakeOtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _paths;

    private FakeOtlpCollector(WebApplication app, ConcurrentDictionary<string, int> paths, string url) => (_app, _paths, Url) = (app, paths, url);

    public string Url { get; }

    public static async Task<FakeOtlpCollector> StartAsync()
    {
        var paths = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (HttpContext context, string signal) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            paths.AddOrUpdate("/v1/" + signal, 1, (_, n) => n + 1);
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeOtlpCollector(app, paths, address);
    }

    /// <summary>Waits (bounded) for an export to <paramref name="path"/>; exports run every 200 ms here.</summary>
    public async Task<bool> WaitForAsync(string path)
    {
        // Bounded at 30 s, for a machine busy with other work.
        for (var i = 0; i < 1200 && !_paths.ContainsKey(path); i++)
        {
            await Task.Delay(25);
        }

        return _paths.ContainsKey(path);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
