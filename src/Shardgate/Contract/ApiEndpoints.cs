namespace Shardgate.Contract;

/// <summary>The paths of the APIs the gateway speaks, as the request log names them and the error pages list them.</summary>
internal static class ApiEndpoints
{
    public const string ChatCompletions = "/v1/chat/completions";
    public const string Messages = "/v1/messages";
    public const string Responses = "/v1/responses";

    /// <summary>The routes a client may call, for 404 hints.</summary>
    public const string Listed = "chat/completions, responses, messages, models";

    public static string PathOf(ApiDialect dialect) => dialect switch
    {
        ApiDialect.Anthropic => Messages,
        ApiDialect.Responses => Responses,
        _ => ChatCompletions,
    };
}
