namespace Shardgate.Api.Admin;

/// <summary>The request-log writer at a glance: a backlog that keeps growing means the database is falling behind.</summary>
internal sealed record RequestLogWriterStatus(int Backlog, long Commits, long RowsCommitted);
