namespace Shardgate.Admission;

/// <summary>A request's place in the model's and the gateway's in-flight counts, given back when it ends.</summary>
internal sealed record ModelSlot(string Model, long InputTokens);
