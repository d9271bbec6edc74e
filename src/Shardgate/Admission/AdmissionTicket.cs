using Shardgate.Ledger;

namespace Shardgate.Admission;

/// <summary>
/// What the gate took for one admitted request, to give back when it ends: its place in the model's counts, the
/// token estimate charged to the key's limits (null when the key is unlimited), and the money held at the model's price.
/// </summary>
internal sealed record AdmissionTicket(ModelSlot Slot, long? RateLimitedTokens, Reservation Reservation, Price Price, long PromptBytes);
