namespace Shardgate.Contract.Response;

/// <summary>One generated token and the log probability its host gave it.</summary>
internal readonly record struct TokenLogprob(string Token, double Logprob);
