using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Shardgate.Contract;
using Shardgate.Kernel;
using Shardgate.Routing;

namespace Shardgate.Upstream;

/// <summary>
/// Relays a host's SSE stream to the client event by event, without buffering. The attempt has already seen the
/// host's first content (<see cref="FirstContent"/>), so a host that fails before that left the request free to be
/// retried or hedged elsewhere with nothing sent; the response status is committed with the first event. Once output has flowed, a failure ends the stream with an <c>error</c>
/// event and never with a fake <c>[DONE]</c>. The usage chunk the gateway asked for is hidden from clients that
/// did not ask for it themselves.
/// </summary>
internal sealed class StreamRelay(UpstreamOptions options, TimeProvider time)
{
    /// <summary>
    /// Relays a stream whose attempt has started (its first content is buffered in the attempt's reader) up to the
    /// host's <c>[DONE]</c>, which it holds back: a completed relay's <see cref="RelayResult.End"/> sends it.
    /// </summary>
    public async Task<RelayResult> RelayAsync(HttpContext context, UpstreamAttempt attempt, ChatRequest request, ForwardResult result, long startTimestamp)
    {
        var committed = false;
        var inspector = new StreamInspector(request, result);
        var translator = request.NewStreamTranslator();
        var reader = attempt.Reader!;
        var deadline = attempt.Deadline;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await reader.ReadAsync(deadline.Token);
            }
            catch (Exception ex) when (IsTransport(ex))
            {
                return await FailAsync(context, committed, deadline, Describe(ex, deadline, committed), FaultOf(deadline, committed), translator);
            }

            var buffer = read.Buffer;
            var wrote = false;
            string? hostError = null;
            while (hostError is null && SseFraming.TryReadEvent(ref buffer, out var evt))
            {
                var action = inspector.Inspect(evt);
                if (action == StreamInspector.EventAction.HostError)
                {
                    hostError = inspector.HostError;
                    break;
                }

                if (action == StreamInspector.EventAction.Done && !committed)
                {
                    hostError = "the host sent an empty stream";
                    break;
                }

                if (action == StreamInspector.EventAction.Skip || (action == StreamInspector.EventAction.Comment && !committed))
                {
                    continue;
                }

                if (!committed)
                {
                    Commit(context, result, startTimestamp);
                    committed = true;
                }

                if (action == StreamInspector.EventAction.Done)
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    if (wrote && !await TryFlushAsync(context, deadline.ClientAborted))
                    {
                        return new RelayResult(RelayOutcome.ClientDisconnected);
                    }

                    return RelayResult.Completed(new StreamEnd(context, request, result, inspector.EndedEmptyByLength, translator, reader, deadline));
                }

                if (translator is not null)
                {
                    translator.WriteChunk(context.Response.BodyWriter, inspector.Rewritten is { } rewritten ? rewritten : SseFraming.DataPayload(evt));
                }
                else
                {
                    Write(context.Response.BodyWriter, evt, inspector.Rewritten);
                }

                wrote = true;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (wrote && !await TryFlushAsync(context, deadline.ClientAborted))
            {
                return new RelayResult(RelayOutcome.ClientDisconnected);
            }

            if (hostError is not null)
            {
                return await FailAsync(context, committed, deadline, hostError, inspector.HostError is null ? HostFault.Soft : HostFault.Transport, translator);
            }

            if (read.IsCompleted)
            {
                return await FailAsync(context, committed, deadline, committed ? "the host closed the stream before [DONE]" : "the host sent an empty stream", HostFault.Soft, translator);
            }

            deadline.Rearm(committed ? options.InterChunkTimeout : options.FirstByteTimeout);
        }
    }

    private static void Write(PipeWriter output, ReadOnlySequence<byte> evt, byte[]? rewritten)
    {
        if (rewritten is null)
        {
            foreach (var segment in evt)
            {
                output.Write(segment.Span);
            }

            return;
        }

        output.Write("data: "u8);
        output.Write(rewritten);
        output.Write("\n\n"u8);
    }

    private void Commit(HttpContext context, ForwardResult result, long startTimestamp)
    {
        result.TimeToFirstTokenMs = time.GetElapsedTime(startTimestamp).TotalMilliseconds;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Tell buffering reverse proxies in front of the gateway (nginx) to pass events through at once.
        response.Headers["X-Accel-Buffering"] = "no";
        result.OverheadMs = OverheadHeader.Set(response, time, startTimestamp, result.UpstreamTicks);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    // A timeout before output is a transport failure; silence after output began is a stall; a cut connection is soft.
    private static HostFault FaultOf(AttemptDeadline deadline, bool committed) =>
        !deadline.Expired ? HostFault.Soft : committed ? HostFault.Stall : HostFault.Transport;

    private static async Task<RelayResult> FailAsync(HttpContext context, bool committed, AttemptDeadline deadline, string reason, HostFault fault, ChatChunkTranslator? translator)
    {
        if (deadline.ClientAborted.IsCancellationRequested)
        {
            return new RelayResult(RelayOutcome.ClientDisconnected);
        }

        if (!committed)
        {
            return new RelayResult(RelayOutcome.FailedBeforeOutput, reason, fault);
        }

        var error = new GatewayError(
            StatusCodes.Status502BadGateway,
            ErrorTypes.Upstream,
            ErrorCodes.UpstreamStreamInterrupted,
            $"The host stopped mid-stream ({reason}). The response is incomplete; usage covers only what was delivered. Retry the request.");
        var writer = context.Response.BodyWriter;
        if (translator is not null)
        {
            translator.WriteError(writer, error);
        }
        else
        {
            writer.Write("data: "u8);
            using (var json = new Utf8JsonWriter(writer, GatewayError.WriterOptions))
            {
                error.WriteTo(json);
            }

            writer.Write("\n\n"u8);
        }

        await TryFlushAsync(context, deadline.ClientAborted);
        return new RelayResult(RelayOutcome.Interrupted, reason, fault);
    }

    internal static async ValueTask<bool> TryFlushAsync(HttpContext context, CancellationToken clientAborted)
    {
        try
        {
            var flush = await context.Response.BodyWriter.FlushAsync(clientAborted);
            return !flush.IsCanceled && !flush.IsCompleted;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private string Describe(Exception ex, AttemptDeadline deadline, bool committed) => deadline.Expired
        ? string.Create(CultureInfo.InvariantCulture, $"no output within {(committed ? options.InterChunkTimeout : options.FirstByteTimeout).TotalSeconds:0.###} s")
        : "connection lost: " + ex.Message;

    internal static bool IsTransport(Exception ex) => ex is IOException or HttpRequestException or OperationCanceledException;
}
