namespace Shardgate.Contract;

/// <summary>
/// Which public API a request came through, and so the shape of everything written back to it: answers, stream
/// events and errors. Chosen by the endpoint, carried on <see cref="Upstream.ChatRequest"/>; the request log names
/// it by its path (<see cref="ApiEndpoints"/>).
/// </summary>
internal enum ApiDialect
{
    OpenAi,
    Anthropic,
    Responses,
}
