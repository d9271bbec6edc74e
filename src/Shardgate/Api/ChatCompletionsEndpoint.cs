using Microsoft.AspNetCore.Http;
using Shardgate.Contract;

namespace Shardgate.Api;

/// <summary><c>POST /v1/chat/completions</c>: the OpenAI Chat Completions API, served by the chat path as it is.</summary>
internal sealed class ChatCompletionsEndpoint(ChatHandler chat)
{
    public Task HandleAsync(HttpContext context) => chat.HandleAsync(context, ApiDialect.OpenAi);
}
