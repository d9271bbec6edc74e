namespace Shardgate.Upstream;

/// <summary>How relaying one host response ended.</summary>
internal enum RelayOutcome
{
    Completed,

    /// <summary>The host failed before any byte reached the client: another host may be tried.</summary>
    FailedBeforeOutput,

    /// <summary>The host failed after output began: the client got an error event, and the request is incomplete.</summary>
    Interrupted,

    ClientDisconnected,

    /// <summary>
    /// The host answered in full without the tool call an emulated <c>tool_choice: "required"</c> needs; nothing reached
    /// the client, and the answer's usage is in the result.
    /// </summary>
    NoToolCall,
}
