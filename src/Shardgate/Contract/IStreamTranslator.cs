using System.Buffers;
using Shardgate.Kernel;

namespace Shardgate.Contract;

/// <summary>
/// Writes a host's chat-completion stream in another API's event shape (Anthropic's messages, OpenAI's Responses).
/// One instance per stream: it keeps the open item or block between chunks.
/// </summary>
internal interface IStreamTranslator
{
    /// <summary>One host chunk (the JSON of a <c>data:</c> line).</summary>
    void WriteChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> payload);

    /// <summary>The host finished: closes what is open and ends the stream with the usage.</summary>
    void WriteEnd(IBufferWriter<byte> output, Usage? usage);

    /// <summary>A failure after the stream began: the API's error ending (never its normal end).</summary>
    void WriteError(IBufferWriter<byte> output, GatewayError error);
}
