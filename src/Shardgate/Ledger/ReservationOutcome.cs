namespace Shardgate.Ledger;

/// <summary>A reservation, or why there is none: the account's balance and what the request needed.</summary>
internal readonly record struct ReservationOutcome(Reservation? Reservation, AccountBalance? Balance)
{
    public bool Succeeded => Reservation is not null;
}
