namespace Shardgate.Upstream;

/// <summary>The last bytes of a complete answer, held back until the request's log row has committed.</summary>
internal interface IResponseEnd
{
    /// <summary>Writes them; false when the client left before they went out (the row already stands).</summary>
    ValueTask<bool> WriteAsync();
}
