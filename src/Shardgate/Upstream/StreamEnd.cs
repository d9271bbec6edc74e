using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Shardgate.Contract;

namespace Shardgate.Upstream;

/// <summary>
/// A complete stream's last event (<c>[DONE]</c>, or the translated API's end: Anthropic's <c>message_stop</c>, the Responses API's <c>response.completed</c>), then
/// the end of the host's body. Reading that end (the last chunk marker, often in a later packet) hands the connection
/// back to the pool; a response disposed unread has its connection closed (<c>MaxResponseDrainSize</c> 0). A host
/// that holds its body open longer than <see cref="BodyEndWait"/> is cut: the client already has its answer.
/// </summary>
internal sealed class StreamEnd(HttpContext context, ChatRequest request, ForwardResult result, bool endedEmptyByLength, ChatChunkTranslator? translator, PipeReader reader, AttemptDeadline deadline) : IResponseEnd
{
    private static readonly TimeSpan BodyEndWait = TimeSpan.FromSeconds(1);

    public async ValueTask<bool> WriteAsync()
    {
        var output = context.Response.BodyWriter;
        if (endedEmptyByLength)
        {
            // Headers are long gone; an SSE comment reaches people reading the stream and SDKs ignore it.
            output.Write(": shardgate-warning "u8);
            output.Write(System.Text.Encoding.UTF8.GetBytes(EmptyOutput.Explain(request.MaxTokens)));
            output.Write("\n\n"u8);
        }

        if (translator is not null)
        {
            translator.WriteEnd(output, result.Usage);
        }
        else
        {
            output.Write("data: [DONE]\n\n"u8);
        }

        var delivered = await StreamRelay.TryFlushAsync(context, deadline.ClientAborted);
        await ReadBodyEndAsync();
        return delivered;
    }

    private async ValueTask ReadBodyEndAsync()
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
        catch (Exception ex) when (StreamRelay.IsTransport(ex))
        {
        }
    }
}
