using System.Text.Json;
using System.Text.Json.Nodes;
using Shardgate.Buffers;

namespace Shardgate.Contract;

/// <summary>Writes the body the host receives: the canonical model id, and usage always requested for streams.</summary>
internal static class UpstreamBodyWriter
{
    public static PooledBufferWriter Write(ChatRequest request, string canonicalModel)
    {
        var root = request.Root;
        root["model"] = canonicalModel;
        if (request.Stream)
        {
            // The gateway needs usage for the log (and the ledger) whatever the client asked; the relay hides it from clients that did not ask.
            if (root["stream_options"] is JsonObject options)
            {
                options["include_usage"] = true;
            }
            else
            {
                root["stream_options"] = new JsonObject { ["include_usage"] = true };
            }
        }

        var buffer = new PooledBufferWriter(16 * 1024);
        using var writer = new Utf8JsonWriter(buffer);
        root.WriteTo(writer);
        writer.Flush();
        return buffer;
    }
}
