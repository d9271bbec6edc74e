namespace Shardgate.Network;

/// <summary>
/// The live state of one node: its address, limits and in-flight count. One instance per node, shared by every
/// model shard the node serves, because <c>max_concurrent</c> bounds the node, not a model.
/// </summary>
internal sealed class UpstreamHost
{
    private int _inFlight;

    public UpstreamHost(string nodeId, Uri baseUri, int maxConcurrent, double weight)
    {
        NodeId = nodeId;
        BaseUri = baseUri;
        ChatCompletionsUri = new Uri(baseUri, "v1/chat/completions");
        MaxConcurrent = maxConcurrent;
        Weight = weight;
        StableHash = System.IO.Hashing.XxHash3.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(nodeId));
    }

    public string NodeId { get; }

    /// <summary>The node id's XXH3, the same in every process: rendezvous hashing of prompts over hosts mixes it in.</summary>
    public ulong StableHash { get; }

    public Uri BaseUri { get; }

    public Uri ChatCompletionsUri { get; }

    public int MaxConcurrent { get; }

    public double Weight { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Takes a slot unless the node is at <see cref="MaxConcurrent"/>; never overshoots under races.</summary>
    public bool TryAcquire()
    {
        var current = Volatile.Read(ref _inFlight);
        while (current < MaxConcurrent)
        {
            var seen = Interlocked.CompareExchange(ref _inFlight, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Release() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Whether a new registration describes the same endpoint and limits, so the live counters carry over.</summary>
    public bool SameAs(Uri baseUri, int maxConcurrent, double weight) =>
        BaseUri == baseUri && MaxConcurrent == maxConcurrent && Weight.Equals(weight);
}
