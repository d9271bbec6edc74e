using Microsoft.AspNetCore.Http;
using Shardgate.Kernel;

namespace Shardgate.Upstream;

/// <summary>A non-streaming answer's whole body, sent once its row has committed; the overhead header includes that commit.</summary>
internal sealed class CompletionEnd(HttpContext context, ReadOnlyMemory<byte> output, PooledBufferWriter body, PooledBufferWriter? translated, ForwardResult result, long startTimestamp, TimeProvider time) : IResponseEnd, IDisposable
{
    public async ValueTask<bool> WriteAsync()
    {
        var response = context.Response;
        result.OverheadMs = OverheadHeader.Set(response, time, startTimestamp, result.UpstreamTicks);
        try
        {
            await response.BodyWriter.WriteAsync(output, context.RequestAborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Returns the buffers <c>output</c> lives in.</summary>
    public void Dispose()
    {
        translated?.Dispose();
        body.Dispose();
    }
}
