using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract;

/// <summary>
/// What the translated APIs (Anthropic's Messages, OpenAI's Responses) share: the body parsed once as a JSON object
/// with a string <c>model</c>, a chat request written from it, and their 400s, which name the field.
/// </summary>
internal static class TranslatedRequest
{
    /// <summary>Parses <paramref name="body"/> and lets <paramref name="write"/> fill the chat request's object; the first 400 wins.</summary>
    public static GatewayError? Write<TState>(ReadOnlyMemory<byte> body, PooledBufferWriter output, TState state, Func<TState, JsonElement, Utf8JsonWriter, GatewayError?> write)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            return Invalid(null, $"The body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid(null, "The body must be a JSON object.");
            }

            if (!root.TryGetProperty("model"u8, out var model) || model.ValueKind != JsonValueKind.String)
            {
                return Invalid("model", "'model' is required: a string naming a served model (GET /v1/models lists them).");
            }

            using var w = new Utf8JsonWriter(output, GatewayError.WriterOptions);
            w.WriteStartObject();
            var error = write(state, root, w);
            if (error is null)
            {
                // On an error the half-written output is discarded, so it is left unclosed.
                w.WriteEndObject();
            }

            return error;
        }
    }

    public static GatewayError Invalid(string? param, string message) => GatewayError.BadRequest(ErrorCodes.InvalidArgument, message, param);
}
