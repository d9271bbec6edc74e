using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Ledger;

/// <summary>The request log's writer, from the <c>Shardgate</c> section itself (<c>Shardgate:RequestLogSpool</c>, …).</summary>
internal sealed record RequestLogOptions
{
    /// <summary>
    /// The local spool directory, where a row is made durable with one append before it reaches the database in
    /// bigger batches. Unset: <c>&lt;database&gt;-spool</c> beside a SQLite file, none over PostgreSQL (replicas stay
    /// stateless; set a directory only where a replica keeps its disk across restarts). <c>off</c>: every row is
    /// committed to the database before its answer completes. The composition resolves the default
    /// (<see cref="WithDefaultSpool"/>), so the writer sees a directory or <c>off</c>.
    /// </summary>
    public string? RequestLogSpool { get; init; }

    /// <summary>Request-log rows per group commit (per database transaction).</summary>
    [Range(1, 100000, ErrorMessage = SettingLimits.Between)]
    public int RequestLogBatchSize { get; init; } = 512;

    /// <summary>How long spooled rows wait, at most, before they are committed to the database.</summary>
    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan RequestLogFlushInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>These options with the spool's default filled in for a database file (<paramref name="sqliteFile"/>) or a server (null).</summary>
    public RequestLogOptions WithDefaultSpool(string? sqliteFile) => RequestLogSpool is null or ""
        ? this with { RequestLogSpool = sqliteFile is null ? Off : Path.GetFullPath(sqliteFile) + "-spool" }
        : this;

    public const string Off = "off";
}
