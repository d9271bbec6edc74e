using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Shardgate.Contract.Rules;

namespace Shardgate.Contract;

/// <summary>
/// The one parse of a chat-completions body: a pooled <see cref="JsonDocument"/> over the body bytes (which must
/// outlive it), its top-level fields with <c>extra_body</c> unwrapped, and the model the client named.
/// </summary>
internal sealed class ParsedRequest : IDisposable
{
    /// <summary>The network's nesting limit, enforced by the reader before any value is built.</summary>
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };
    private readonly JsonDocument _document;

    private ParsedRequest(JsonDocument document, RequestFields fields, string? model, IReadOnlyList<string>? models)
    {
        _document = document;
        Fields = fields;
        Model = model;
        Models = models;
    }

    public RequestFields Fields { get; }

    /// <summary>The model as the client wrote it, trimmed; null when only <see cref="Models"/> was given.</summary>
    public string? Model { get; }

    /// <summary>OpenRouter's <c>models</c>: models to fall through to, in order.</summary>
    public IReadOnlyList<string>? Models { get; }

    public static bool TryParse(ReadOnlyMemory<byte> body, ContractOptions options, [NotNullWhen(true)] out ParsedRequest? request, [NotNullWhen(false)] out ContractError? error)
    {
        request = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            error = ex.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? new ContractError(ContractCodes.NestingTooDeep, $"The request body nests JSON deeper than {MaxDepth} levels. Flatten the structure.")
                : new ContractError(ContractCodes.InvalidJson, $"The request body is not valid JSON ({Describe(ex)}). Send a JSON object with 'model' and 'messages'.");
            return false;
        }

        error = Read(document.RootElement, options, out var fields, out var model, out var models);
        if (error is not null)
        {
            document.Dispose();
            return false;
        }

        request = new ParsedRequest(document, fields!, model, models);
        return true;
    }

    public void Dispose() => _document.Dispose();

    private static ContractError? Read(JsonElement root, ContractOptions options, out RequestFields? fields, out string? model, out IReadOnlyList<string>? models)
    {
        fields = null;
        model = null;
        models = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new ContractError(ContractCodes.InvalidJson, "The request body must be a JSON object with 'model' and 'messages'.");
        }

        var collected = new RequestFields();
        JsonElement? extraBody = null;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name.Length == 0)
            {
                return new ContractError(ContractCodes.EmptyFieldName, "The request body has a field with an empty name. Remove it.");
            }

            if (property.NameEquals("extra_body"u8))
            {
                extraBody = property.Value;
            }
            else
            {
                collected.AddOriginal(property.Name, property.Value);
            }
        }

        // SDKs put non-standard fields in extra_body; they are lifted to the top, where the top level wins.
        if (extraBody is { ValueKind: JsonValueKind.Object } extra)
        {
            foreach (var property in extra.EnumerateObject())
            {
                if (property.Name.Length > 0 && !property.NameEquals("extra_body"u8) && !collected.Contains(property.Name))
                {
                    collected.AddOriginal(property.Name, property.Value);
                }
            }
        }

        if (ParameterCatalog.CheckAllowed(collected, options) is { } notAllowed)
        {
            return notAllowed;
        }

        if (collected.TryGetValue("models", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > 16 || list.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.String || JsonValues.IsBlankString(m)))
            {
                return new ContractError(ContractCodes.InvalidType, "'models' must be an array of 1 to 16 model names, tried in order.", "models");
            }

            models = [.. list.EnumerateArray().Select(m => m.GetString()!.Trim())];
            if (models.FirstOrDefault(TooLong) is { } tooLong)
            {
                return NameTooLong("models", tooLong);
            }
        }

        if (!collected.TryGetValue("model", out var modelElement))
        {
            fields = collected;
            return models is null ? new ContractError(ContractCodes.MissingField, "'model' is required. Name one of the models GET /v1/models lists.", "model") : null;
        }

        if (modelElement.ValueKind != JsonValueKind.String || JsonValues.IsBlankString(modelElement))
        {
            return new ContractError(ContractCodes.InvalidType, "'model' must be a non-empty string naming one of the models GET /v1/models lists.", "model");
        }

        fields = collected;
        model = modelElement.GetString()!.Trim();
        return TooLong(model) ? NameTooLong("model", model) : null;
    }

    /// <summary>No served model's id is longer; a longer name is refused before it reaches a lookup, a log or a message.</summary>
    public const int MaxModelNameBytes = 256;

    private static bool TooLong(string name) => name.Length > MaxModelNameBytes / 3 && System.Text.Encoding.UTF8.GetByteCount(name) > MaxModelNameBytes;

    private static ContractError NameTooLong(string field, string name) =>
        new(ContractCodes.ModelNameTooLong, $"'{field}' names a model of {System.Text.Encoding.UTF8.GetByteCount(name)} bytes; model names are at most {MaxModelNameBytes} bytes. Name one of the models GET /v1/models lists.", field);

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
