using Shardgate.Ledger;

namespace Shardgate.Admission;

/// <summary>
/// What the gate took for one admitted request, to give back when it ends: its place in the model's counts, the
/// token estimate charged to the key's limits (null when the key is unlimited), the money held at the model's price,
/// and the prompt's estimated tokens, billed when the host reports no usage.
/// </summary>
internal sealed record AdmissionTicket(ModelSlot Slot, long? RateLimitedTokens, Reservation Reservation, Price Price, int PromptTokens);
