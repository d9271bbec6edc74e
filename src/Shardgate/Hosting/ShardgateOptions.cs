using Shardgate.Contract;
using Shardgate.Ledger;

namespace Shardgate.Hosting;

/// <summary>Gateway configuration, bound from the <c>Shardgate</c> section plus <c>SHARDGATE_DB</c> and <c>SHARDGATE_ADMIN_KEY</c>.</summary>
internal sealed record ShardgateOptions
{
    public const string Section = "Shardgate";

    /// <summary>The database: a SQLite file path (the embedded default).</summary>
    public string Database { get; init; } = "shardgate.db";

    /// <summary>Bearer key for <c>/admin</c>. Unset disables the admin API (404), as the network's gateway does.</summary>
    public string? AdminKey { get; init; }

    public UpstreamOptions Upstream { get; init; } = new();

    /// <summary>Aliases naming an ordered list of models to fall through: <c>{"auto": [{"Model": …, "MaxPromptTokens": 32000}, …]}</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Routing.FallbackTier>> Fallbacks { get; init; } = new Dictionary<string, IReadOnlyList<Routing.FallbackTier>>();

    /// <summary>Where the network's phase comes from: static, or a Gonka API node.</summary>
    public Network.NetworkOptions Network { get; init; } = new();

    /// <summary>Gateway-wide and per-model admission limits.</summary>
    public Admission.AdmissionOptions Admission { get; init; } = new();

    /// <summary>Prompt-cache affinity: how many prefixes to remember, and how much load it may cost.</summary>
    public Routing.AffinityOptions Affinity { get; init; } = new();

    /// <summary>Hedging of slow first tokens: on or off, budget, deadline bounds.</summary>
    public Routing.HedgingOptions Hedging { get; init; } = new();

    /// <summary>Passive host health: cooldowns, quarantines, probation.</summary>
    public Routing.HealthOptions Health { get; init; } = new();

    /// <summary>Money: free grant, lease sizing, this replica's lease owner id.</summary>
    public LedgerOptions Ledger { get; init; } = new();

    /// <summary>The request contract: limits, per-model families and switches, aliases.</summary>
    public ContractOptions Contract { get; init; } = new();

    /// <summary>Seconds a client is told to wait when every host of a model is full.</summary>
    public int SaturationRetryAfterSeconds { get; init; } = 1;

    /// <summary>How long a verified API key is trusted before the store is asked again (bounds revocation lag across replicas).</summary>
    public TimeSpan KeyCacheTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Request-log rows per group commit (per database transaction).</summary>
    public int RequestLogBatchSize { get; init; } = 512;

    /// <summary>
    /// The request log's local spool directory, where a row is made durable with one append before it reaches the
    /// database in bigger batches. Unset: <c>&lt;database&gt;-spool</c> beside a SQLite file, none over PostgreSQL
    /// (replicas stay stateless; set a directory only where a replica keeps its disk across restarts). <c>off</c>:
    /// every row is committed to the database before its answer completes.
    /// </summary>
    public string? RequestLogSpool { get; init; }

    /// <summary>How long spooled rows wait, at most, before they are committed to the database.</summary>
    public TimeSpan RequestLogFlushInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A JSON file holding an array of nodes in the admin API's shape, upserted into the database at start;
    /// the admin API manages them afterwards.
    /// </summary>
    public string? NodesFile { get; init; }

    /// <summary>How often the routing view is reloaded from the database, to pick up changes other replicas made.</summary>
    public TimeSpan NodeRefreshInterval { get; init; } = TimeSpan.FromSeconds(10);
}
