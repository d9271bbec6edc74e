using Shardgate.Kernel;

namespace Shardgate.Admission;

/// <summary>The gate's answer: a ticket when the request may go, else the refusal (and then nothing is held).</summary>
internal readonly record struct GateDecision(AdmissionTicket? Ticket, Refusal? Refusal)
{
    public static GateDecision Admitted(AdmissionTicket ticket) => new(ticket, null);

    public static GateDecision Refused(Refusal refusal) => new(null, refusal);
}
