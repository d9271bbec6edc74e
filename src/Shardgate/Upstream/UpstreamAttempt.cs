using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using Shardgate.Network;
using Shardgate.Routing;

namespace Shardgate.Upstream;

/// <summary>
/// One try of a request on one host: its slot, its deadline, and the host's response once it starts. Starting
/// writes nothing to the client, so several attempts may start at once (a hedge) and only the winner is relayed.
/// </summary>
internal sealed class UpstreamAttempt : IAsyncDisposable
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 16 * 1024, minimumReadSize: 2048, leaveOpen: false);
    private readonly TimeProvider _time;
    private readonly Action? _endProbe;
    private readonly ForwardedHeaders _headers;
    private PipeReader? _held;
    private int _disposed;

    /// <summary>
    /// Takes over the host slot the selector acquired, and the probe when there is one (<paramref name="endProbe"/>),
    /// and the attempt's span when the request is traced (<paramref name="span"/>), which ends when the attempt does.
    /// </summary>
    public UpstreamAttempt(UpstreamHost host, Action? endProbe, TimeSpan firstByteTimeout, TimeProvider time, Activity? span, ForwardedHeaders headers, CancellationToken clientAborted)
    {
        Host = host;
        _endProbe = endProbe;
        Span = span;
        _headers = headers;
        FirstByteTimeout = firstByteTimeout;
        Deadline = new AttemptDeadline(firstByteTimeout, time, clientAborted);
        StartedAt = time.GetTimestamp();
        _time = time;
    }

    public UpstreamHost Host { get; }

    /// <summary>This attempt's span; null unless the request is traced.</summary>
    public Activity? Span { get; }

    public TimeSpan FirstByteTimeout { get; }

    public AttemptDeadline Deadline { get; }

    public long StartedAt { get; }

    public HttpResponseMessage? Response { get; private set; }

    /// <summary>The stream's reader, positioned before its first event; null for non-streaming requests.</summary>
    public PipeReader? Reader { get; private set; }

    public TimeSpan Elapsed => _time.GetElapsedTime(StartedAt);

    /// <summary>Relays <paramref name="stream"/>, the host's whole stream read ahead, in place of the host's reader.</summary>
    public void Replay(ReadOnlyMemory<byte> stream)
    {
        _held = Reader;
        Reader = PipeReader.Create(new System.Buffers.ReadOnlySequence<byte>(stream));
    }

    /// <summary>Sends the request; for a stream, also waits for the first content. Never throws for host failures.</summary>
    public Task<AttemptStart> StartAsync(UpstreamClient client, ReadOnlyMemory<byte> body, bool stream) =>
        Span is null ? SendAsync(client, body, stream) : TracedAsync(client, body, stream);

    private async Task<AttemptStart> TracedAsync(UpstreamClient client, ReadOnlyMemory<byte> body, bool stream)
    {
        var start = await SendAsync(client, body, stream);
        Span!.SetTag("shardgate.attempt.start", start.Kind.ToString());
        if (start.Failure is not null)
        {
            Span.SetStatus(ActivityStatusCode.Error, start.Failure);
        }

        return start;
    }

    private async Task<AttemptStart> SendAsync(UpstreamClient client, ReadOnlyMemory<byte> body, bool stream)
    {
        try
        {
            Response = await client.SendChatAsync(Host, body, stream, _headers, Deadline.Token);
            var status = (int)Response.StatusCode;
            if (status >= 400)
            {
                return await RefusedAsync(status);
            }

            if (!stream)
            {
                return AttemptStart.Ready;
            }

            Reader = PipeReader.Create(await Response.Content.ReadAsStreamAsync(Deadline.Token), ReaderOptions);
            return await FirstContent.WaitAsync(Reader, Deadline.Token);
        }
        // A host that dies while its connection is being opened can surface from HttpClient as a bare SocketException.
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or OperationCanceledException)
        {
            if (Deadline.ClientAborted.IsCancellationRequested)
            {
                return AttemptStart.ClientGone;
            }

            if (Deadline.Expired)
            {
                var what = Response is null ? "no response headers" : "no output";
                return AttemptStart.Failed(string.Create(CultureInfo.InvariantCulture, $"{what} within {FirstByteTimeout.TotalSeconds:0.###} s"), HostFault.Transport);
            }

            return Response is null
                ? AttemptStart.Failed("connection failed: " + ex.Message, HostFault.Transport)
                : AttemptStart.Failed("connection lost: " + ex.Message, HostFault.Soft);
        }
    }

    /// <summary>Closes the host's response and gives back the slot (and the probe); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (Reader is not null)
        {
            await Reader.CompleteAsync();
        }

        if (_held is not null)
        {
            await _held.CompleteAsync();
        }

        Response?.Dispose();
        Deadline.Dispose();
        Host.Release();
        _endProbe?.Invoke();
        Span?.Dispose();
    }

    private async Task<AttemptStart> RefusedAsync(int status)
    {
        var message = await HostErrorReader.ReadMessageAsync(Response!, Deadline.Token);
        // 404 means the host does not serve the model it is registered for: a registry fault, not the client's.
        if (status is 404 or 408 or 429 or >= 500)
        {
            var busy = status is 429 or 503;
            return AttemptStart.Failed(string.Create(CultureInfo.InvariantCulture, $"HTTP {status}: {message}"), busy ? HostFault.Busy : HostFault.Transport, busy);
        }

        return ContextRefusal.From(message) is { } refusal
            ? new AttemptStart(AttemptStartKind.TooLong, Refusal: refusal)
            : new AttemptStart(AttemptStartKind.Rejected, message, Status: status);
    }
}
