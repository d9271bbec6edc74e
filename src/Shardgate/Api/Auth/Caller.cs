namespace Shardgate.Api.Auth;

/// <summary>Who sent a request: the admin key, a verified API key (<see cref="Identity"/>), or nobody known.</summary>
internal readonly record struct Caller(bool IsAdmin, KeyIdentity? Identity)
{
    public bool IsKnown => IsAdmin || Identity is not null;
}
