using System.Globalization;
using Microsoft.AspNetCore.Http;
using Shardgate.Buffers;
using Shardgate.Hosting;
using Shardgate.Observability;

namespace Shardgate.Upstream;

/// <summary>
/// Relays a non-streaming completion: the host's body is read whole (bounded), its usage noted, then sent on.
/// Nothing reaches the client until the host's body is complete, so any failure before then can be retried.
/// </summary>
internal sealed class CompletionRelay(UpstreamOptions options, TimeProvider time)
{
    public async Task<RelayResult> RelayAsync(HttpContext context, HttpResponseMessage upstream, RequestTrace trace, AttemptDeadline deadline)
    {
        using var body = new PooledBufferWriter(8 * 1024);
        try
        {
            await using var stream = await upstream.Content.ReadAsStreamAsync(deadline.Token);
            while (true)
            {
                var read = await stream.ReadAsync(body.GetMemory(8 * 1024), deadline.Token);
                if (read == 0)
                {
                    break;
                }

                body.Advance(read);
                if (body.WrittenCount > options.MaxResponseBytes)
                {
                    return new RelayResult(RelayOutcome.FailedBeforeOutput, "the host's response exceeded the size limit");
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            if (deadline.ClientAborted.IsCancellationRequested)
            {
                return new RelayResult(RelayOutcome.ClientDisconnected);
            }

            return new RelayResult(RelayOutcome.FailedBeforeOutput, deadline.Expired
                ? string.Create(CultureInfo.InvariantCulture, $"no response within {options.FirstByteTimeout.TotalSeconds:0.###} s")
                : "connection lost: " + ex.Message);
        }

        if (body.WrittenCount == 0)
        {
            return new RelayResult(RelayOutcome.FailedBeforeOutput, "the host sent an empty response");
        }

        if (UsageScanner.TryRead(body.WrittenSpan, out var usage, out _))
        {
            trace.Usage = usage;
        }

        trace.TimeToFirstTokenMs = time.GetElapsedTime(trace.StartTimestamp).TotalMilliseconds;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = body.WrittenCount;
        try
        {
            await response.BodyWriter.WriteAsync(body.WrittenMemory, deadline.ClientAborted);
        }
        catch (OperationCanceledException)
        {
            return new RelayResult(RelayOutcome.ClientDisconnected);
        }

        return RelayResult.Completed;
    }
}
