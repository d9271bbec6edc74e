namespace Shardgate.Routing;

/// <summary>What a host did wrong, as passive health sees it.</summary>
internal enum HostFault
{
    /// <summary>429 or 503: the host says it is overloaded.</summary>
    Busy,

    /// <summary>Refused connection, timeout before output, 5xx.</summary>
    Transport,

    /// <summary>A stream cut before output, or an empty stream: counted, quarantined after a few.</summary>
    Soft,

    /// <summary>Silent mid-stream beyond the inter-chunk timeout.</summary>
    Stall,
}
