using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shardgate.Api.Auth;
using Shardgate.Contract;
using Shardgate.Catalog;
using Shardgate.Contract.Anthropic;
using Shardgate.Contract.Tokens;
using Shardgate.Kernel;

namespace Shardgate.Api;

/// <summary>
/// The Anthropic Messages API: <c>POST /v1/messages</c> runs through the chat path (contract, routing, ledger) with
/// its body translated in and its answer and errors translated out; <c>POST /v1/messages/count_tokens</c> counts a
/// request's input tokens. Keys come in <c>x-api-key</c> or <c>Authorization: Bearer</c>; <c>anthropic-version</c>
/// is accepted and not needed.
/// </summary>
internal sealed class MessagesEndpoint(ChatHandler chat, ApiKeyAuthenticator authenticator, TokenCounter tokens, ModelProfiles profiles, ModelCatalog catalog)
{
    public Task HandleAsync(HttpContext context) => chat.HandleAsync(context, ApiDialect.Anthropic);

    /// <summary>
    /// The gateway's count of the translated request, the one routing and admission use (<see cref="TokenCounter"/>:
    /// the model's own tokenizer when the catalog names one, else the default corrected for the family); the hosts'
    /// own counts are not reachable without sending the prompt to one.
    /// </summary>
    public async Task CountTokensAsync(HttpContext context)
    {
        if ((await authenticator.IdentifyAsync(context.Request, context.RequestAborted)).Refusal is { } refusal)
        {
            await ErrorResponse.WriteAsync(context, refusal.Error, ApiDialect.Anthropic, refusal.RetryAfterSeconds);
            return;
        }

        using var body = await RequestBodyReader.ReadAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            await ErrorResponse.WriteAsync(context, GatewayError.RequestTooLarge, ApiDialect.Anthropic);
            return;
        }

        using var translated = new PooledBufferWriter(body.WrittenCount + 1024);
        if (new AnthropicRequestTranslator().Translate(body.WrittenMemory, translated, requireMaxTokens: false) is { } error)
        {
            await ErrorResponse.WriteAsync(context, error, ApiDialect.Anthropic);
            return;
        }

        using var document = JsonDocument.Parse(translated.WrittenMemory);
        var root = document.RootElement;
        var messages = root.TryGetProperty("messages"u8, out var m) ? m : default;
        JsonElement? tools = root.TryGetProperty("tools"u8, out var t) ? t : null;
        var model = root.TryGetProperty("model"u8, out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()! : string.Empty;
        catalog.Current.Models.TryGetValue(model, out var declared);
        var prompt = tokens.ForModel(model, profiles.Get(model).Family, declared?.Tokenizer, tokens.CountDefault(messages, tools), messages, tools, out _);

        context.Response.ContentType = "application/json";
        using var w = new Utf8JsonWriter(context.Response.BodyWriter);
        w.WriteStartObject();
        w.WriteNumber("input_tokens", prompt.Estimate);
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted);
    }
}
