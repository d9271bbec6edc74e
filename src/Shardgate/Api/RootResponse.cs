namespace Shardgate.Api;

/// <summary>What <c>GET /</c> answers: where each kind of client points.</summary>
/// <param name="OpenaiBaseUrl">For OpenAI SDKs, Codex, LangChain: the base URL with <c>/v1</c>.</param>
/// <param name="AnthropicBaseUrl">For Anthropic SDKs and Claude Code: the base URL without <c>/v1</c>.</param>
internal sealed record RootResponse(string Service, string OpenaiBaseUrl, string AnthropicBaseUrl, string Dashboard);
