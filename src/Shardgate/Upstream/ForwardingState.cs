using Shardgate.Network;

namespace Shardgate.Upstream;

/// <summary>What one request's attempts have learned so far: hosts tried, the last failure, the context window needed.</summary>
/// <remarks><paramref name="needed"/> is the request's estimated size in tokens, prompt plus <c>max_tokens</c>.</remarks>
internal sealed class ForwardingState(long needed, List<UpstreamHost>? tried)
{
    /// <summary>The least context window a host must have to be chosen; starts at the size needed and grows when hosts refuse the request as too long.</summary>
    public long MinimumWindow { get; set; } = needed;

    public List<UpstreamHost>? Tried { get; private set; } = tried;

    public string? LastFailure { get; private set; }

    /// <summary>Whether every failure so far was a host saying it is overloaded.</summary>
    public bool AllBusy { get; private set; } = true;

    public ContextRefusal? Refusal { get; private set; }

    /// <summary>The host whose failure before output the next attempt retries; taken once by <see cref="TakeRetried"/>.</summary>
    private UpstreamHost? _retried;

    public void Failed(UpstreamHost host, string failure, bool hostBusy)
    {
        _retried = host;
        LastFailure = failure;
        AllBusy &= hostBusy;
        (Tried ??= []).Add(host);
    }

    public void TooLong(UpstreamHost host, ContextRefusal refusal)
    {
        Refusal = refusal;
        MinimumWindow = refusal.NextMinimum(MinimumWindow + 1);
        (Tried ??= []).Add(host);
    }

    /// <summary>The host the attempt now starting retries away from, if the last one failed before output.</summary>
    public UpstreamHost? TakeRetried()
    {
        var retried = _retried;
        _retried = null;
        return retried;
    }

    /// <summary>The hosts a hedge must avoid: those tried, and the one still running.</summary>
    public List<UpstreamHost> TriedAnd(UpstreamHost running) => Tried is null ? [running] : [.. Tried, running];
}
