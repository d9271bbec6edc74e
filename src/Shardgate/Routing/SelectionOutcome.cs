namespace Shardgate.Routing;

/// <summary>Why selection did or did not give a host.</summary>
internal enum SelectionOutcome
{
    Acquired,

    /// <summary>Every host not yet tried is at <c>max_concurrent</c>: the model is saturated.</summary>
    Saturated,

    /// <summary>Every host of the shard was already tried for this request.</summary>
    Exhausted,

    /// <summary>No host not yet tried has a context window that holds the request.</summary>
    ContextTooLong,

    /// <summary>Every fitting host is resting after failures, and another request is already probing one.</summary>
    Unhealthy,
}
