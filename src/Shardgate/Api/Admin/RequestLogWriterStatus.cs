namespace Shardgate.Api.Admin;

/// <summary>
/// The request-log writer at a glance: a backlog (rows not yet durable) or a spool (rows durable locally, not yet in
/// the database) that keeps growing means the writer or the database is falling behind.
/// </summary>
internal sealed record RequestLogWriterStatus(int Backlog, int Spooled, long Commits, long RowsCommitted);
