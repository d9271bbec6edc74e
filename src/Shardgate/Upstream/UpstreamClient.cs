using System.Net;
using System.Net.Http.Headers;
using Shardgate.Network;

namespace Shardgate.Upstream;

/// <summary>
/// The one HTTP client to hosts. A raw <see cref="HttpMessageInvoker"/> over a tuned <see cref="SocketsHttpHandler"/>:
/// no proxy lookup, redirects, cookies or decompression (the gateway relays bytes), pooled keep-alive connections,
/// and no response buffering, so streams are relayed as they arrive.
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");
    private readonly HttpMessageInvoker _invoker;

    public UpstreamClient(UpstreamOptions options)
        : this(NewHandler(options))
    {
    }

    /// <summary>Over another handler: tests put one that fails as sockets do.</summary>
    internal UpstreamClient(HttpMessageHandler handler) => _invoker = new HttpMessageInvoker(handler, disposeHandler: true);

    public Task<HttpResponseMessage> SendChatAsync(UpstreamHost host, ReadOnlyMemory<byte> body, bool stream, ForwardedHeaders headers, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, host.ChatCompletionsUri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.ContentType = Json;
        if (stream)
        {
            request.Headers.Accept.Add(EventStream);
        }

        headers.AddTo(request.Headers);

        return _invoker.SendAsync(request, cancellationToken);
    }

    public void Dispose() => _invoker.Dispose();

    private static SocketsHttpHandler NewHandler(UpstreamOptions options) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = options.ConnectTimeout,
        PooledConnectionIdleTimeout = options.PooledConnectionIdleTimeout,
        // Re-resolve DNS now and then so a host that moves is followed.
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = int.MaxValue,
        // A response the gateway stops reading (its client left, a hedge lost, the host failed mid-stream) closes its
        // connection at once. The default drains it for up to 2 s / 1 MB to reuse the connection, and a host keeps
        // generating (GPU time the network pays for) as long as the connection is open.
        MaxResponseDrainSize = 0,
        EnableMultipleHttp2Connections = true,
        // Trace context is set per attempt (ForwardedHeaders): each attempt is its own span, and hedged attempts run
        // side by side, so the ambient Activity the handler's propagator reads would name the wrong one.
        ActivityHeadersPropagator = null,
    };
}
