using Shardgate.Kernel;

namespace Shardgate.Contract;

/// <summary>
/// Why a request was refused: the rule's stable code (also its anchor in <c>docs/contract.md</c>), the offending
/// field as a path (<c>messages[3].content[0].type</c>), and a message that says what to send instead.
/// </summary>
internal sealed record ContractError(string Code, string Message, string? Param = null, int Status = 400)
{
    public GatewayError ToGatewayError(string docsUrl) =>
        new(Status, ErrorTypes.InvalidRequest, Code, $"{Message} See {docsUrl}#{Code}.", Param);
}
