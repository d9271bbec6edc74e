using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shardgate.Benchmarks;

/// <summary>
/// The reference the issue quotes: an ASP.NET Core app that does nothing but forward <c>/v1/chat/completions</c>
/// to one host with <see cref="HttpClient"/> and copy the answer back — no parsing, accounting or routing, default
/// settings (the overhead benchmark starts it with Server GC, as the web SDK gives an ASP.NET app). Run in the same
/// benchmark as the gateway, it shows what this machine allows any .NET proxy.
/// Usage (started by the overhead benchmark): Shardgate.Benchmarks passthrough PORT UPSTREAM-URL
/// </summary>
internal static class NaivePassThrough
{
    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{int.Parse(args[1], CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        var upstream = new Uri(new Uri(args[2]), "v1/chat/completions");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = int.MaxValue });
        app.MapGet("/health", () => Results.Ok());
        app.MapPost("/v1/chat/completions", async context =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, upstream) { Content = new StreamContent(context.Request.Body) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(context.Request.ContentType ?? "application/json");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        await app.RunAsync();
    }
}
