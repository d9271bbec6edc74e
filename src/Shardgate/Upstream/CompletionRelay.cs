using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shardgate.Buffers;
using Shardgate.Contract;
using Shardgate.Contract.Anthropic;
using Shardgate.Hosting;
using Shardgate.Ledger;
using Shardgate.Observability;
using Shardgate.Routing;
using Shardgate.Storage;

namespace Shardgate.Upstream;

/// <summary>
/// Relays a non-streaming completion: the host's body is read whole (bounded), its usage noted, then sent on.
/// Nothing reaches the client until the host's body is complete, so any failure before then can be retried.
/// </summary>
internal sealed class CompletionRelay(UpstreamOptions options, RequestFinisher finisher, TimeProvider time)
{
    public async Task<RelayResult> RelayAsync(HttpContext context, UpstreamAttempt attempt, ChatRequest request, RequestTrace trace)
    {
        var deadline = attempt.Deadline;
        using var body = new PooledBufferWriter(8 * 1024);
        var reading = time.GetTimestamp();
        try
        {
            await using var stream = await attempt.Response!.Content.ReadAsStreamAsync(deadline.Token);
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
                    return new RelayResult(RelayOutcome.FailedBeforeOutput, "the host's response exceeded the size limit", HostFault.Transport);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            if (deadline.ClientAborted.IsCancellationRequested)
            {
                return new RelayResult(RelayOutcome.ClientDisconnected);
            }

            return deadline.Expired
                ? new RelayResult(RelayOutcome.FailedBeforeOutput, string.Create(CultureInfo.InvariantCulture, $"no response within {options.FirstByteTimeout.TotalSeconds:0.###} s"), HostFault.Transport)
                : new RelayResult(RelayOutcome.FailedBeforeOutput, "connection lost: " + ex.Message, HostFault.Soft);
        }

        trace.UpstreamTicks += time.GetTimestamp() - reading;
        if (body.WrittenCount == 0)
        {
            return new RelayResult(RelayOutcome.FailedBeforeOutput, "the host sent an empty response", HostFault.Soft);
        }

        if (UsageScanner.TryRead(body.WrittenSpan, out var usage, out _))
        {
            trace.Usage = usage;
        }

        trace.TimeToFirstTokenMs = time.GetElapsedTime(trace.StartTimestamp).TotalMilliseconds;
        var output = request.NewRewriter()?.RewriteCompletion(body.WrittenSpan) ?? body.WrittenMemory;
        var emptyByLength = EndedEmptyByLength(output.Span);
        using var message = request.AnthropicMessageId is { } messageId ? AnthropicMessageWriter.Write(output.Span, messageId, request.Model, trace.Usage) : null;
        if (message is not null)
        {
            output = message.WrittenMemory;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = output.Length;
        if (emptyByLength)
        {
            response.Headers.Append(Api.ShardgateHeaders.Warning, EmptyOutput.Explain(request.MaxTokens));
        }

        // The usage row commits before the body goes out: a client holding the whole body has its row.
        trace.Status = StatusCodes.Status200OK;
        trace.Outcome = RequestOutcome.Completed;
        await finisher.FinishAsync(trace, awaitCommit: true);
        trace.SetOverheadHeader(response, time);
        try
        {
            await response.BodyWriter.WriteAsync(output, deadline.ClientAborted);
        }
        catch (OperationCanceledException)
        {
            return new RelayResult(RelayOutcome.ClientDisconnected);
        }

        return RelayResult.Completed;
    }

    /// <summary>Any choice that stopped at the token limit with neither content nor tool calls.</summary>
    private static bool EndedEmptyByLength(ReadOnlySpan<byte> completion)
    {
        if (completion.IndexOf("\"length\""u8) < 0)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(completion);
            using var document = JsonDocument.ParseValue(ref reader);
            if (!document.RootElement.TryGetProperty("choices"u8, out var choices) || choices.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (var choice in choices.EnumerateArray())
            {
                if (choice.TryGetProperty("finish_reason"u8, out var finish) && finish.ValueEquals("length"u8)
                    && choice.TryGetProperty("message"u8, out var message)
                    && (!message.TryGetProperty("content"u8, out var content) || content.ValueKind == JsonValueKind.Null || (content.ValueKind == JsonValueKind.String && content.GetString()!.Length == 0))
                    && !(message.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0))
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
