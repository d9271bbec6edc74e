using Shardgate.Api;

namespace Shardgate.Contract;

/// <summary>Why a request body was refused: a stable code, the offending field and what to do instead.</summary>
internal sealed record ContractError(string Code, string Message, string? Param = null, int Status = 400)
{
    public OpenAiError ToOpenAi() => new(Status, ErrorTypes.InvalidRequest, Code, Message, Param);
}
