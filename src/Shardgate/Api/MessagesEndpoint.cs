using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shardgate.Api.Auth;
using Shardgate.Contract;
using Shardgate.Contract.Anthropic;
using Shardgate.Kernel;

namespace Shardgate.Api;

/// <summary>
/// The Anthropic Messages API: <c>POST /v1/messages</c> runs through the chat path (contract, routing, ledger) with
/// its body translated in and its answer and errors translated out; <c>POST /v1/messages/count_tokens</c> counts a
/// request's input tokens. Keys come in <c>x-api-key</c> or <c>Authorization: Bearer</c>; <c>anthropic-version</c>
/// is accepted and not needed.
/// </summary>
internal sealed class MessagesEndpoint(ChatHandler chat, ApiKeyAuthenticator authenticator)
{
    public Task HandleAsync(HttpContext context) => chat.HandleAsync(context, ApiDialect.Anthropic);

    /// <summary>
    /// The gateway's estimate (<see cref="TokenEstimate"/>) of the translated request, the one routing and admission
    /// use: the hosts' own tokenizers are not reachable without sending the prompt to one.
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

        context.Response.ContentType = "application/json";
        using var w = new Utf8JsonWriter(context.Response.BodyWriter);
        w.WriteStartObject();
        w.WriteNumber("input_tokens", TokenEstimate.FromBytes(translated.WrittenCount));
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted);
    }
}
