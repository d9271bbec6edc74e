using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shardgate.Api.Auth;
using Shardgate.Buffers;
using Shardgate.Contract.Anthropic;

namespace Shardgate.Api;

/// <summary>
/// The Anthropic Messages API: <c>POST /v1/messages</c> runs through the chat path (contract, routing, ledger) with
/// its body translated in and its answer translated out; <c>POST /v1/messages/count_tokens</c> counts a request's
/// input tokens. Keys come in <c>x-api-key</c> or <c>Authorization: Bearer</c>; <c>anthropic-version</c> is accepted
/// and not needed.
/// </summary>
internal sealed class MessagesEndpoint(ChatCompletionsEndpoint chat, ApiKeyAuthenticator authenticator)
{
    /// <summary>The gateway's prompt estimate: four UTF-8 bytes a token, as routing and reservations use.</summary>
    private const int BytesPerToken = 4;

    public Task HandleAsync(HttpContext context) => chat.HandleAsync(context, anthropic: true);

    /// <summary>
    /// An estimate from the translated request's size, the same one routing and reservations use: the hosts' own
    /// tokenizers are not reachable without sending the prompt to one.
    /// </summary>
    public async Task CountTokensAsync(HttpContext context)
    {
        context.Features.Set(AnthropicDialect.Instance);
        if (!(await authenticator.IdentifyAsync(context.Request, context.RequestAborted)).IsKnown)
        {
            await OpenAiError.MissingApiKey.WriteAsync(context);
            return;
        }

        using var body = await RequestBodyReader.ReadAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            await OpenAiError.RequestTooLarge.WriteAsync(context);
            return;
        }

        using var translated = new PooledBufferWriter(body.WrittenCount + 1024);
        if (new AnthropicRequestTranslator().Translate(body.WrittenMemory, translated, requireMaxTokens: false) is { } error)
        {
            await error.WriteAsync(context);
            return;
        }

        context.Response.ContentType = "application/json";
        using var w = new Utf8JsonWriter(context.Response.BodyWriter);
        w.WriteStartObject();
        w.WriteNumber("input_tokens", (translated.WrittenCount + BytesPerToken - 1) / BytesPerToken);
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted);
    }
}
