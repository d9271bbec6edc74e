using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Shardgate.Api;
using Shardgate.Contract;
using Shardgate.Contract.Anthropic;
using Shardgate.Hosting;
using Shardgate.Ledger;
using Shardgate.Observability;
using Shardgate.Routing;
using Shardgate.Storage;

namespace Shardgate.Upstream;

/// <summary>
/// Relays a host's SSE stream to the client event by event, without buffering. The attempt has already seen the
/// host's first content (<see cref="FirstContent"/>), so a host that fails before that left the request free to be
/// retried or hedged elsewhere with nothing sent; the response status is committed with the first event. Once output has flowed, a failure ends the stream with an <c>error</c>
/// event and never with a fake <c>[DONE]</c>. The usage chunk the gateway asked for is hidden from clients that
/// did not ask for it themselves.
/// </summary>
internal sealed class StreamRelay(UpstreamOptions options, RequestFinisher finisher, TimeProvider time)
{
    private static readonly TimeSpan BodyEndWait = TimeSpan.FromSeconds(1);

    /// <summary>Relays a stream whose attempt has started (its first content is buffered in the attempt's reader).</summary>
    public async Task<RelayResult> RelayAsync(HttpContext context, UpstreamAttempt attempt, ChatRequest request, RequestTrace trace)
    {
        var committed = false;
        var inspector = new StreamInspector(request, trace);
        var anthropic = request.NewAnthropicWriter();
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
                return await FailAsync(context, committed, deadline, Describe(ex, deadline, committed), FaultOf(deadline, committed), anthropic);
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
                    Commit(context, trace);
                    committed = true;
                }

                if (action == StreamInspector.EventAction.Done)
                {
                    if (wrote && !await TryFlushAsync(context, deadline.ClientAborted))
                    {
                        return new RelayResult(RelayOutcome.ClientDisconnected);
                    }

                    var finished = await FinishAsync(context, request, trace, inspector, evt, deadline, anthropic);
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    await ReadBodyEndAsync(reader, deadline);
                    return finished;
                }

                if (anthropic is not null)
                {
                    Translate(context.Response.BodyWriter, anthropic, evt, inspector.Rewritten);
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
                return await FailAsync(context, committed, deadline, hostError, inspector.HostError is null ? HostFault.Soft : HostFault.Transport, anthropic);
            }

            if (read.IsCompleted)
            {
                return await FailAsync(context, committed, deadline, committed ? "the host closed the stream before [DONE]" : "the host sent an empty stream", HostFault.Soft, anthropic);
            }

            deadline.Rearm(committed ? options.InterChunkTimeout : options.FirstByteTimeout);
        }
    }

    /// <summary>
    /// The stream is complete: the request's usage row is committed first, and only then does the client get
    /// <c>[DONE]</c>. A client that saw <c>[DONE]</c> therefore has its row in the log, whatever happens next.
    /// </summary>
    private async Task<RelayResult> FinishAsync(HttpContext context, ChatRequest request, RequestTrace trace, StreamInspector inspector, ReadOnlySequence<byte> done, AttemptDeadline deadline, AnthropicStreamWriter? anthropic)
    {
        trace.Status = StatusCodes.Status200OK;
        trace.Outcome = RequestOutcome.Completed;
        await finisher.FinishAsync(trace, awaitCommit: true);
        if (inspector.EndedEmptyByLength)
        {
            // Headers are long gone; an SSE comment reaches people reading the stream and SDKs ignore it.
            WriteComment(context.Response.BodyWriter, EmptyOutput.Explain(request.MaxTokens));
        }

        if (anthropic is not null)
        {
            anthropic.WriteEnd(context.Response.BodyWriter, trace.Usage);
        }
        else
        {
            Write(context.Response.BodyWriter, done, null);
        }

        return await TryFlushAsync(context, deadline.ClientAborted) ? RelayResult.Completed : new RelayResult(RelayOutcome.ClientDisconnected);
    }

    /// <summary>
    /// After <c>[DONE]</c> a host has only the end of its body left to send (the last chunk marker), often in a later
    /// packet. Reading it hands the connection back to the pool; a response disposed unread has its connection closed
    /// (<c>MaxResponseDrainSize</c> 0). A host that holds its body open longer than <see cref="BodyEndWait"/> is cut:
    /// the client already has <c>[DONE]</c> and the request's row is committed.
    /// </summary>
    private static async ValueTask ReadBodyEndAsync(PipeReader reader, AttemptDeadline deadline)
    {
        deadline.Rearm(BodyEndWait);
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(deadline.Token);
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (IsTransport(ex))
        {
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

    private static void Translate(PipeWriter output, AnthropicStreamWriter anthropic, ReadOnlySequence<byte> evt, byte[]? rewritten)
    {
        if (rewritten is not null)
        {
            anthropic.WriteChunk(output, rewritten);
            return;
        }

        anthropic.WriteChunk(output, SseFraming.DataPayload(evt));
    }

    private static void WriteComment(PipeWriter output, string text)
    {
        output.Write(": shardgate-warning "u8);
        output.Write(System.Text.Encoding.UTF8.GetBytes(text));
        output.Write("\n\n"u8);
    }

    private void Commit(HttpContext context, RequestTrace trace)
    {
        trace.TimeToFirstTokenMs = time.GetElapsedTime(trace.StartTimestamp).TotalMilliseconds;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Tell buffering reverse proxies in front of the gateway (nginx) to pass events through at once.
        response.Headers["X-Accel-Buffering"] = "no";
        trace.SetOverheadHeader(response, time);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    // A timeout before output is a transport failure; silence after output began is a stall; a cut connection is soft.
    private static HostFault FaultOf(AttemptDeadline deadline, bool committed) =>
        !deadline.Expired ? HostFault.Soft : committed ? HostFault.Stall : HostFault.Transport;

    private static async Task<RelayResult> FailAsync(HttpContext context, bool committed, AttemptDeadline deadline, string reason, HostFault fault, AnthropicStreamWriter? anthropic)
    {
        if (deadline.ClientAborted.IsCancellationRequested)
        {
            return new RelayResult(RelayOutcome.ClientDisconnected);
        }

        if (!committed)
        {
            return new RelayResult(RelayOutcome.FailedBeforeOutput, reason, fault);
        }

        var error = new OpenAiError(
            StatusCodes.Status502BadGateway,
            ErrorTypes.Upstream,
            ErrorCodes.UpstreamStreamInterrupted,
            $"The host stopped mid-stream ({reason}). The response is incomplete; usage covers only what was delivered. Retry the request.");
        var writer = context.Response.BodyWriter;
        if (anthropic is not null)
        {
            AnthropicStreamWriter.WriteError(writer, error);
        }
        else
        {
            writer.Write("data: "u8);
            using (var json = new Utf8JsonWriter(writer, OpenAiError.WriterOptions))
            {
                error.WriteTo(json);
            }

            writer.Write("\n\n"u8);
        }

        await TryFlushAsync(context, deadline.ClientAborted);
        return new RelayResult(RelayOutcome.Interrupted, reason, fault);
    }

    private static async ValueTask<bool> TryFlushAsync(HttpContext context, CancellationToken clientAborted)
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

    private static bool IsTransport(Exception ex) => ex is IOException or HttpRequestException or OperationCanceledException;
}
