namespace Shardgate.Contract.Responses;

/// <summary>The kinds of output item a chat answer becomes.</summary>
internal enum ResponsesItemKind
{
    Reasoning,
    Message,
    FunctionCall,
}
