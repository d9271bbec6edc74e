using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shardgate.Api;

namespace Shardgate.Contract;

/// <summary>Parses a chat-completions body once and checks its outer shape.</summary>
internal static class ChatRequestReader
{
    /// <summary>The network's nesting limit; deeper documents are refused before anything is built from them.</summary>
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public static bool TryRead(ReadOnlySpan<byte> body, [NotNullWhen(true)] out ChatRequest? request, [NotNullWhen(false)] out ContractError? error)
    {
        request = null;
        error = null;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            error = new ContractError(ErrorCodes.InvalidJson, $"The request body is not valid JSON ({Describe(ex)}). Send a JSON object with 'model' and 'messages'.");
            return false;
        }

        if (node is not JsonObject root)
        {
            error = new ContractError(ErrorCodes.InvalidJson, "The request body must be a JSON object with 'model' and 'messages'.");
            return false;
        }

        if (!root.TryGetPropertyValue("model", out var modelNode) || modelNode is null)
        {
            error = new ContractError(ErrorCodes.MissingField, "'model' is required. Name one of the models GET /v1/models lists.", "model");
            return false;
        }

        if (modelNode.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(modelNode.GetValue<string>()))
        {
            error = new ContractError(ErrorCodes.InvalidType, "'model' must be a non-empty string naming one of the models GET /v1/models lists.", "model");
            return false;
        }

        if (!root.TryGetPropertyValue("messages", out var messages) || messages is null)
        {
            error = new ContractError(ErrorCodes.MissingField, "'messages' is required: an array of {role, content} objects.", "messages");
            return false;
        }

        if (messages is not JsonArray { Count: > 0 })
        {
            error = new ContractError(ErrorCodes.InvalidType, "'messages' must be a non-empty array of {role, content} objects.", "messages");
            return false;
        }

        if (!TryReadBool(root, "stream", out var stream, out error))
        {
            return false;
        }

        var wantsUsage = false;
        if (root.TryGetPropertyValue("stream_options", out var options) && options is not null)
        {
            if (options is not JsonObject optionsObject)
            {
                error = new ContractError(ErrorCodes.InvalidType, "'stream_options' must be an object such as {\"include_usage\": true}.", "stream_options");
                return false;
            }

            if (!TryReadBool(optionsObject, "include_usage", out wantsUsage, out error, "stream_options.include_usage"))
            {
                return false;
            }
        }

        request = new ChatRequest(root, modelNode.GetValue<string>().Trim(), stream, stream && wantsUsage);
        return true;
    }

    private static bool TryReadBool(JsonObject obj, string name, out bool value, [NotNullWhen(false)] out ContractError? error, string? param = null)
    {
        value = false;
        error = null;
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return true;
        }

        var kind = node.GetValueKind();
        if (kind is JsonValueKind.True or JsonValueKind.False)
        {
            value = kind == JsonValueKind.True;
            return true;
        }

        param ??= name;
        error = new ContractError(ErrorCodes.InvalidType, $"'{param}' must be true or false.", param);
        return false;
    }

    private static string Describe(JsonException ex) =>
        ex.LineNumber is { } line && ex.BytePositionInLine is { } pos
            ? $"line {line + 1}, byte {pos + 1}: {FirstSentence(ex.Message)}"
            : FirstSentence(ex.Message);

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.');
    }
}
