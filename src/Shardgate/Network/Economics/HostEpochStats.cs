namespace Shardgate.Network.Economics;

/// <summary>
/// What one host did through this broker in one epoch for one model: requests it served, their tokens, the ngonka
/// its users were charged for them (the fees for its work), and the attempts it missed (no answer before output:
/// refused, timed out, 5xx, cut before output) or failed (cut or stalled after output began).
/// </summary>
internal sealed record HostEpochStats(string NodeId, long Epoch, string Model, long Requests, long InputTokens, long OutputTokens, long Earned, long Missed, long Failed);
