using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shardgate.Contract;
using Shardgate.Kernel;
using Shardgate.Routing;

namespace Shardgate.Upstream;

/// <summary>
/// Relays a non-streaming completion: the host's body is read whole (bounded), its usage noted, then sent on.
/// Nothing reaches the client until the host's body is complete, so any failure before then can be retried.
/// </summary>
internal sealed class CompletionRelay(UpstreamOptions options, TimeProvider time)
{
    /// <summary>Reads the host's answer and prepares the client's; a completed relay's <see cref="RelayResult.End"/> sends it.</summary>
    public async Task<RelayResult> RelayAsync(HttpContext context, UpstreamAttempt attempt, ChatRequest request, ForwardResult result, long startTimestamp)
    {
        var body = new PooledBufferWriter(8 * 1024);
        var relay = default(RelayResult);
        try
        {
            relay = await RelayAsync(context, attempt, request, result, startTimestamp, body);
            return relay;
        }
        finally
        {
            // A completed relay's end owns the body until it is written; every other ending gives it back here.
            if (relay.End is null)
            {
                body.Dispose();
            }
        }
    }

    private async Task<RelayResult> RelayAsync(HttpContext context, UpstreamAttempt attempt, ChatRequest request, ForwardResult result, long startTimestamp, PooledBufferWriter body)
    {
        var deadline = attempt.Deadline;
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

        result.UpstreamTicks += time.GetTimestamp() - reading;
        if (body.WrittenCount == 0)
        {
            return new RelayResult(RelayOutcome.FailedBeforeOutput, "the host sent an empty response", HostFault.Soft);
        }

        if (UsageScanner.TryRead(body.WrittenSpan, out var usage, out _))
        {
            result.Usage = usage;
        }

        result.TimeToFirstTokenMs = time.GetElapsedTime(startTimestamp).TotalMilliseconds;
        result.FinishReason = FinishReasons.Find(body.WrittenSpan);
        if (request.RequiredToolCall is not null && !ToolCallHold.HasToolCall(body.WrittenSpan))
        {
            return new RelayResult(RelayOutcome.NoToolCall);
        }
        var output = request.NewRewriter(result)?.RewriteCompletion(body.WrittenSpan) ?? body.WrittenMemory;
        var emptyByLength = EndedEmptyByLength(output.Span);
        var message = request.TranslateCompletion(output.Span, result.Usage);
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
            response.Headers.Append(ShardgateHeaders.Warning, EmptyOutput.Explain(request.MaxTokens));
        }

        return RelayResult.Completed(new CompletionEnd(context, output, body, message, result, startTimestamp, time));
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
