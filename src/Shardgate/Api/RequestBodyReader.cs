using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Shardgate.Kernel;

namespace Shardgate.Api;

/// <summary>Reads a request body into a pooled buffer, refusing it as soon as it passes the size limit.</summary>
internal static class RequestBodyReader
{
    /// <summary>The network's body limit.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>Returns the body, or null when it is larger than <see cref="MaxBytes"/>.</summary>
    public static async Task<PooledBufferWriter?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        var buffer = new PooledBufferWriter((int)Math.Clamp(request.ContentLength ?? 16 * 1024, 1024, MaxBytes));
        var reader = request.BodyReader;
        while (true)
        {
            ReadResult read = await reader.ReadAsync(cancellationToken);
            if (buffer.WrittenCount + read.Buffer.Length > MaxBytes)
            {
                reader.AdvanceTo(read.Buffer.End);
                buffer.Dispose();
                return null;
            }

            buffer.Write(read.Buffer);
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return buffer;
            }
        }
    }
}
