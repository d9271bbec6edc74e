using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shardgate.Simulator.Endpoints;
using Shardgate.Simulator.Faults;

namespace Shardgate.Simulator;

/// <summary>
/// A SIMULATED vLLM ML node on real Kestrel: OpenAI-compatible endpoints, vLLM's response and error shapes,
/// context limits, per-family output conventions, injectable faults and prefix-cache emulation. It stands in for
/// hosts this project cannot run; it generates filler text, not model output.
/// </summary>
public sealed class SimulatedHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatedHostState _state;

    private SimulatedHost(WebApplication app, SimulatedHostState state, Uri baseUrl)
    {
        _app = app;
        _state = state;
        BaseUrl = baseUrl;
    }

    /// <summary>The root URL, for example <c>http://127.0.0.1:41234</c>; the API lives under <c>/v1</c>.</summary>
    public Uri BaseUrl { get; }

    public SimulatedHostOptions Options => _state.Options;

    /// <summary>Requests that reached generation.</summary>
    public long Requests => _state.Requests;

    public int Active => _state.Active;

    /// <summary>The most requests that were in generation at once since the host started.</summary>
    public int PeakActive => _state.PeakActive;

    /// <summary>Generations cut short because the client closed the connection (vLLM logs these as aborted requests).</summary>
    public long Aborted => _state.Aborted;

    /// <summary>TCP connections the host has accepted: tests see whether a client reuses its connections.</summary>
    public long Connections => _state.Connections;

    /// <summary>The last chat-completions body this host received, byte for byte.</summary>
    public ReadOnlyMemory<byte> LastRequestBody => _state.LastRequestBody;

    /// <summary>The last chat request's <c>traceparent</c>, <c>tracestate</c> and <c>X-Request-Id</c>, by lower-case name, as received.</summary>
    public IReadOnlyDictionary<string, string> LastRequestHeaders => _state.LastRequestHeaders;

    /// <summary>Starts a host on <paramref name="url"/>; port 0 picks a free loopback port.</summary>
    public static async Task<SimulatedHost> StartAsync(SimulatedHostOptions options, string url = "http://127.0.0.1:0", TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        var state = new SimulatedHostState(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.ConfigureEndpointDefaults(listen => listen.Use(next => connection =>
            {
                state.CountConnection();
                return next(connection);
            }));
        });
        var app = builder.Build();

        var chat = new ChatCompletionsEndpoint(state, time);
        app.MapPost("/v1/chat/completions", chat.HandleAsync);
        app.MapGet("/v1/models", ctx => ModelsEndpoint.HandleAsync(ctx, options, time));
        app.MapGet("/health", () => Results.Ok());
        app.MapPost("/sim/fault", (Delegate)((HttpContext ctx) => SetFaultFromBodyAsync(ctx, state)));

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatedHost(app, state, new Uri(address));
    }

    /// <summary>Sets the fault every later request gets (null or "none" clears it).</summary>
    public void SetFault(string? fault)
    {
        if (!FaultPlanParser.TryParse(fault, out var plan, out var error))
        {
            throw new ArgumentException(error, nameof(fault));
        }

        _state.Fault = plan;
    }

    /// <summary>Lets every request held by the <c>hold</c> fault go on, and later ones pass at once.</summary>
    public void ReleaseHeld() => _state.Release();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<IResult> SetFaultFromBodyAsync(HttpContext context, SimulatedHostState state)
    {
        using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var text = doc.RootElement.TryGetProperty("fault", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        if (!FaultPlanParser.TryParse(text, out var plan, out var error))
        {
            return Results.BadRequest(new Dictionary<string, string> { ["error"] = error! });
        }

        state.Fault = plan;
        return Results.NoContent();
    }
}
