using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Hosting;

/// <summary>
/// The hosting's own settings, from the <c>Shardgate</c> section plus <c>SHARDGATE_DB</c>. Each feature binds its
/// own record from its own part of the section (<c>Shardgate:Upstream</c>, <c>Shardgate:Hedging</c>, …); see
/// <see cref="GatewayApplication"/>.
/// </summary>
internal sealed record ShardgateOptions
{
    public const string Section = "Shardgate";

    /// <summary>The database: a SQLite file path (the embedded default), or a PostgreSQL connection string.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "must name a SQLite file or a PostgreSQL connection string")]
    public string Database { get; init; } = "shardgate.db";

    /// <summary>
    /// A JSON file holding an array of nodes in the admin API's shape, upserted into the database at start;
    /// the admin API manages them afterwards.
    /// </summary>
    public string? NodesFile { get; init; }

    /// <summary>How often the routing view is reloaded from the database, to pick up changes other replicas made.</summary>
    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan NodeRefreshInterval { get; init; } = TimeSpan.FromSeconds(10);
}
