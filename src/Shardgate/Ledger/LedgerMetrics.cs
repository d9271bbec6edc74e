using System.Diagnostics.Metrics;

namespace Shardgate.Ledger;

/// <summary>
/// The books, on one meter: ngonka charged by model, reservations open, and the request log's rows and spool bytes
/// not yet in the database (read when a scrape asks).
/// </summary>
internal sealed class LedgerMetrics
{
    public const string MeterName = "Shardgate.Ledger";

    private readonly Counter<long> _spent;

    public LedgerMetrics(IMeterFactory meterFactory, BalanceLedger ledger, RequestLogWriter writer)
    {
        var meter = meterFactory.Create(MeterName);
        _spent = meter.CreateCounter<long>("shardgate.ledger.spent", "{ngonka}", "Ngonka charged to accounts, by model (1 GNK = 10^9 ngonka).");
        meter.CreateObservableUpDownCounter("shardgate.ledger.reservations.open", () => ledger.OpenReservations, "{reservation}", "Reservations held by requests in flight, not yet settled.");
        meter.CreateObservableUpDownCounter("shardgate.request_log.rows_waiting", () => RowsWaiting(writer), "{row}", "Request-log rows not yet in the database: queued (not yet durable) or spooled (durable in the local spool).");
        meter.CreateObservableUpDownCounter("shardgate.request_log.spool.size", () => writer.SpoolBytes, "By", "Bytes in the request log's local spool.");
    }

    public void Spent(string model, long ngonka)
    {
        if (ngonka > 0)
        {
            _spent.Add(ngonka, new KeyValuePair<string, object?>("model", model));
        }
    }

    private static Measurement<long>[] RowsWaiting(RequestLogWriter writer) =>
        [new(writer.Backlog, new KeyValuePair<string, object?>("stage", "queued")), new(writer.Spooled, new KeyValuePair<string, object?>("stage", "spooled"))];
}
