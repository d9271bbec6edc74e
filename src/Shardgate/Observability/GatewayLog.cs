using Microsoft.Extensions.Logging;

namespace Shardgate.Observability;

/// <summary>Source-generated log events. Ids: 1xx hosting, 2xx request path, 3xx upstream, 4xx storage, 5xx the model catalog.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(100, LogLevel.Warning, "SHARDGATE_ADMIN_KEY is not set: the admin API answers 404 until it is.", EventName = "AdminApiDisabled")]
    public static partial void AdminApiDisabled(ILogger logger);

    [LoggerMessage(101, LogLevel.Information, "Loaded {NodeCount} nodes serving {ModelCount} models from {Database}.", EventName = "RegistryLoaded")]
    public static partial void RegistryLoaded(ILogger logger, int nodeCount, int modelCount, string database);

    [LoggerMessage(102, LogLevel.Error, "Configured node {NodeId} is invalid and was skipped: {Errors}", EventName = "ConfiguredNodeInvalid")]
    public static partial void ConfiguredNodeInvalid(ILogger logger, string nodeId, string errors);

    [LoggerMessage(103, LogLevel.Warning, "Reloading nodes from the database failed; routing keeps the last view.", EventName = "NodeRefreshFailed")]
    public static partial void NodeRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(104, LogLevel.Error, "Unhandled error on {Path}.", EventName = "UnhandledError")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string path);

    [LoggerMessage(200, LogLevel.Warning, "Model {Model} is saturated: every host is at max_concurrent ({RequestId}).", EventName = "ModelSaturated")]
    public static partial void ModelSaturated(ILogger logger, string model, string requestId);

    [LoggerMessage(303, LogLevel.Information, "{RequestId}: node {NodeId} showed no content within {DelayMs:0} ms; hedging on node {HedgeNodeId}.", EventName = "HedgeStarted")]
    public static partial void HedgeStarted(ILogger logger, string requestId, string nodeId, string hedgeNodeId, double delayMs);

    [LoggerMessage(304, LogLevel.Information, "{RequestId}: node {NodeId} answered without the tool call tool_choice \"required\" asks for; retried with an instruction: {Retried}.", EventName = "ToolCallMissing")]
    public static partial void ToolCallMissing(ILogger logger, string requestId, string nodeId, bool retried);

    [LoggerMessage(300, LogLevel.Warning, "Attempt {Attempt} on node {NodeId} failed before output ({Reason}); {RequestId} tries another host.", EventName = "UpstreamAttemptFailed")]
    public static partial void UpstreamAttemptFailed(ILogger logger, int attempt, string nodeId, string reason, string requestId);

    [LoggerMessage(301, LogLevel.Warning, "Node {NodeId} failed mid-stream for {RequestId}: {Reason}", EventName = "UpstreamStreamInterrupted")]
    public static partial void UpstreamStreamInterrupted(ILogger logger, string nodeId, string requestId, string reason);

    [LoggerMessage(402, LogLevel.Warning, "Released {Amount} ngonka of balance leases left by owner {Owner} (a previous run ended without returning them).", EventName = "LeftoverLeasesReleased")]
    public static partial void LeftoverLeasesReleased(ILogger logger, long amount, string owner);

    [LoggerMessage(403, LogLevel.Error, "Returning an idle balance lease of account {AccountId} failed; it is released at the next start.", EventName = "LeaseReturnFailed")]
    public static partial void LeaseReturnFailed(ILogger logger, Exception exception, long accountId);

    [LoggerMessage(302, LogLevel.Warning, "Host {NodeId} went from {From} to {To}: {Reason}", EventName = "HostHealthChanged")]
    public static partial void HostHealthChanged(ILogger logger, string nodeId, string from, string to, string reason);

    [LoggerMessage(404, LogLevel.Error, "Saving the health of host {NodeId} failed.", EventName = "HealthSaveFailed")]
    public static partial void HealthSaveFailed(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(105, LogLevel.Warning, "Reading the network's phase from {PublicApi} failed; the last known phase stays.", EventName = "NetworkPollFailed")]
    public static partial void NetworkPollFailed(ILogger logger, Exception exception, string publicApi);

    [LoggerMessage(400, LogLevel.Error, "Writing {Count} request-log rows failed (try {Try}); retrying.", EventName = "RequestLogWriteFailed")]
    public static partial void RequestLogWriteFailed(ILogger logger, Exception exception, int count, int @try);

    [LoggerMessage(401, LogLevel.Critical, "Dropped {Count} request-log rows after repeated write failures.", EventName = "RequestLogRowsDropped")]
    public static partial void RequestLogRowsDropped(ILogger logger, int count);

    [LoggerMessage(406, LogLevel.Error, "Committing {Count} spooled request-log rows to the database failed; they stay in the spool and the next flush retries.", EventName = "RequestLogFlushFailed")]
    public static partial void RequestLogFlushFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(407, LogLevel.Error, "The request-log spool could not take {Count} rows; they are written to the database directly.", EventName = "SpoolWriteFailed")]
    public static partial void SpoolWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(408, LogLevel.Warning, "Committed {Count} request-log rows a previous run left in spool segment {Segment}{TornNote}.", EventName = "SpoolReplayed")]
    private static partial void SpoolReplayed(ILogger logger, int count, string segment, string tornNote);

    public static void SpoolReplayed(ILogger logger, int count, string segment, bool torn) =>
        SpoolReplayed(logger, count, segment, torn ? " (its last record was cut short by the crash: that answer never completed)" : string.Empty);

    [LoggerMessage(409, LogLevel.Warning, "The request-log spool {Directory} is held by another process; rows are committed to the database directly.", EventName = "SpoolHeldElsewhere")]
    public static partial void SpoolHeldElsewhere(ILogger logger, string directory);

    [LoggerMessage(405, LogLevel.Warning, "Checkpointing the SQLite WAL failed; the next checkpoint retries.", EventName = "CheckpointFailed")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(111, LogLevel.Warning, "The database is PostgreSQL but SHARDGATE_REDIS is not set: per-key limits, model admission and host health are kept per replica, so with several replicas a key's limits multiply by their number.", EventName = "LimitsPerReplica")]
    public static partial void LimitsPerReplica(ILogger logger);

    [LoggerMessage(410, LogLevel.Warning, "Redis cannot be reached; shared limits are {Mode} until it is back (logged at most once a minute).", EventName = "SharedStateUnreachable")]
    public static partial void SharedStateUnreachable(ILogger logger, Exception exception, string mode);

    [LoggerMessage(411, LogLevel.Warning, "Writing shared state to Redis failed; this replica re-asserts its counts when the connection returns.", EventName = "SharedStateWriteFailed")]
    public static partial void SharedStateWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(412, LogLevel.Warning, "Renewing this replica's heartbeat in Redis failed; its concurrency slots stop counting if it stays silent.", EventName = "HeartbeatFailed")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(413, LogLevel.Warning, "Subscribing to the replicas' '{Topic}' news on Redis failed; retrying until it holds, the periodic reload covering the gap.", EventName = "SubscriptionPending")]
    public static partial void SubscriptionPending(ILogger logger, Exception exception, string topic);

    [LoggerMessage(414, LogLevel.Warning, "Released {Amount} ngonka of balance leases whose replicas fell silent for more than {Seconds} s (crashed, or cut off from the database).", EventName = "SilentLeasesReleased")]
    public static partial void SilentLeasesReleased(ILogger logger, long amount, double seconds);

    [LoggerMessage(415, LogLevel.Warning, "Renewing this replica's balance leases failed; it tries again at the next tick.", EventName = "LeaseRenewalFailed")]
    public static partial void LeaseRenewalFailed(ILogger logger, Exception exception);

    [LoggerMessage(110, LogLevel.Warning, "Refused {Count} request(s) in the last minute from addresses over their failed-authentication limit; the latest from {Address}.", EventName = "FailedAuthThrottled")]
    public static partial void FailedAuthThrottled(ILogger logger, long count, string address);

    [LoggerMessage(500, LogLevel.Information, "Catalog version {Version} from {Author} is in force: {ModelCount} models, {AliasCount} aliases.", EventName = "CatalogApplied")]
    public static partial void CatalogApplied(ILogger logger, long version, string author, int modelCount, int aliasCount);

    [LoggerMessage(501, LogLevel.Error, "Catalog change from {Source} refused, the last good catalog stays in force: {Problems}", EventName = "CatalogRefused")]
    public static partial void CatalogRefused(ILogger logger, string source, string problems);

    [LoggerMessage(502, LogLevel.Warning, "Reading the catalog from {Source} failed; it is tried again at the next tick.", EventName = "CatalogReadFailed")]
    public static partial void CatalogReadFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(510, LogLevel.Information, "Tokenizer {Path} loaded: its model's prompts are counted with it.", EventName = "TokenizerLoaded")]
    public static partial void TokenizerLoaded(ILogger logger, string path);

    [LoggerMessage(511, LogLevel.Error, "Tokenizer {Path} could not be loaded ({Reason}); its model's prompts are counted with the default tokenizer.", EventName = "TokenizerFailed")]
    public static partial void TokenizerFailed(ILogger logger, string path, string reason);

    [LoggerMessage(600, LogLevel.Information, "Discovered {Count} host(s) for {Model} from the chain (epoch {Epoch}).", EventName = "HostsDiscovered")]
    public static partial void HostsDiscovered(ILogger logger, int count, string model, long? epoch);

    [LoggerMessage(601, LogLevel.Information, "The chain listed {Count} participant(s) that cannot be routed to (no address, http(s) inference URL or model); discovery leaves them out.", EventName = "ParticipantsSkipped")]
    public static partial void ParticipantsSkipped(ILogger logger, int count);

    [LoggerMessage(602, LogLevel.Warning, "The chain API listed no participant at all; the {Count} known host(s) stay.", EventName = "DiscoveryListedNobody")]
    public static partial void DiscoveryListedNobody(ILogger logger, int count);

    [LoggerMessage(603, LogLevel.Warning, "The epoch changed while the chain was read ({Before} then {After}) {Tries} time(s) running; the last known hosts stay until a read is whole.", EventName = "DiscoveryEpochMoved")]
    public static partial void DiscoveryEpochMoved(ILogger logger, long? before, long? after, int tries);

    [LoggerMessage(610, LogLevel.Warning, "Host {NodeId} is suspect: {Divergent} or more of its last {Window} validation replays of {Model} diverged (latest: mean |Δlogprob| {MeanAbsDiff:F4}, token agreement {Agreement:P1}, threshold {Threshold}). It now gets less weight; disable or exclude it to quarantine it.", EventName = "HostSuspect")]
    public static partial void HostSuspect(ILogger logger, string nodeId, string model, int divergent, int window, double meanAbsDiff, double agreement, double threshold);

    [LoggerMessage(611, LogLevel.Information, "Host {NodeId} is no longer suspect: its recent validation replays agree.", EventName = "HostNoLongerSuspect")]
    public static partial void HostNoLongerSuspect(ILogger logger, string nodeId);

    [LoggerMessage(612, LogLevel.Warning, "The validation replay of {RequestId} failed unexpectedly.", EventName = "ValidationFailed")]
    public static partial void ValidationFailed(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(613, LogLevel.Information, "Validation sampling is off: set Shardgate:Validation:AccountId to the broker's own account, which replays are charged to.", EventName = "ValidationOff")]
    public static partial void ValidationOff(ILogger logger);

    [LoggerMessage(620, LogLevel.Warning, "{Count} host figure row(s) could not be stored; those counts are lost (the request log keeps every request).", EventName = "HostStatsFlushFailed")]
    public static partial void HostStatsFlushFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(621, LogLevel.Warning, "Reading participants' economics from the chain failed; the last known figures stay.", EventName = "EconomicsPollFailed")]
    public static partial void EconomicsPollFailed(ILogger logger, Exception exception);
}
