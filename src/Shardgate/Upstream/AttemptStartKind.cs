namespace Shardgate.Upstream;

internal enum AttemptStartKind
{
    /// <summary>Non-streaming: the host answered 2xx. Streaming: the host produced content, or a complete stream.</summary>
    Ready,

    /// <summary>The host failed before any output: another host may be tried.</summary>
    Failed,

    /// <summary>The host's context window cannot hold the request; a bigger host may.</summary>
    TooLong,

    /// <summary>The host refused the request itself (a 4xx other than context length): the client gets it.</summary>
    Rejected,

    ClientGone,
}
