using Microsoft.AspNetCore.Http;
using Shardgate.Contract;

namespace Shardgate.Api;

/// <summary>
/// <c>POST /v1/responses</c>: the OpenAI Responses API, translated to a chat request for the chat path (contract,
/// routing, ledger) and its answer back into a <c>response</c> object or the API's typed stream events. Errors keep
/// the OpenAI shape. Nothing is stored: <c>store</c> is answered false, <c>previous_response_id</c> refused.
/// </summary>
internal sealed class ResponsesEndpoint(ChatHandler chat)
{
    public Task HandleAsync(HttpContext context) => chat.HandleAsync(context, ApiDialect.Responses);
}
