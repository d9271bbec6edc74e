using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract;

/// <summary>
/// Writes the body the host receives in one pass: untouched fields are copied from the parsed document, replaced
/// fields written from their new values, and the messages and tools from their plans.
/// </summary>
internal static class UpstreamBodyWriter
{
    // Rewritten strings keep '<', '>' and non-ASCII as they are, like the client's untouched bytes beside them.
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static PooledBufferWriter Write(ContractContext context, int sizeHint)
    {
        var buffer = new PooledBufferWriter(Math.Max(1024, sizeHint + 256));
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartObject();
        var fields = context.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            writer.WritePropertyName(field.Name);
            if (field.Name == "messages" && context.Messages is { } messages)
            {
                messages.WriteTo(writer);
            }
            else if (field.Name == "tools" && context.Tools is { } tools && field.State == RequestFields.FieldState.Original)
            {
                tools.WriteTo(writer);
            }
            else if (field.State == RequestFields.FieldState.Original)
            {
                // Untouched fields are copied as the client's bytes: the parser already proved them valid JSON.
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(field.Element), skipInputValidation: true);
            }
            else if (field.Replacement is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                field.Replacement.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        return buffer;
    }
}
