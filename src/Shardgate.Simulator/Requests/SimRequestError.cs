namespace Shardgate.Simulator.Requests;

/// <summary>A request the simulated host refuses with 400, as vLLM does for malformed input.</summary>
internal sealed class SimRequestError(string message) : Exception(message)
{
    public SimRequestError() : this("bad request")
    {
    }

    public SimRequestError(string message, Exception inner) : this(message + ": " + inner.Message)
    {
    }
}
