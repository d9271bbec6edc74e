using System.Data.Common;
using Shardgate.Network.Economics;

namespace Shardgate.Storage;

/// <summary>What both backends share about hosts' epoch figures: the SQL (the same in SQLite and PostgreSQL) and the row mapping.</summary>
internal static class ParticipantRows
{
    public const string Columns = "node_id, epoch, model, requests, input_tokens, output_tokens, earned, missed, failed";

    /// <summary>The upsert that adds a row's counts, parameters prefixed with <paramref name="p"/>.</summary>
    public static string Add(char p) => $"""
        INSERT INTO host_epoch_stats ({Columns}) VALUES ({p}node, {p}epoch, {p}model, {p}requests, {p}input, {p}output, {p}earned, {p}missed, {p}failed)
        ON CONFLICT (node_id, epoch, model) DO UPDATE SET requests = host_epoch_stats.requests + excluded.requests,
            input_tokens = host_epoch_stats.input_tokens + excluded.input_tokens, output_tokens = host_epoch_stats.output_tokens + excluded.output_tokens,
            earned = host_epoch_stats.earned + excluded.earned, missed = host_epoch_stats.missed + excluded.missed, failed = host_epoch_stats.failed + excluded.failed;
        """;

    public static string List(char p) => $"SELECT {Columns} FROM host_epoch_stats WHERE ({p}node IS NULL OR node_id = {p}node) ORDER BY epoch DESC, node_id, model;";

    public static void Bind(DbCommand command, char p, HostEpochStats row)
    {
        foreach (var (name, value) in new (string, object)[] { ("node", row.NodeId), ("epoch", row.Epoch), ("model", row.Model), ("requests", row.Requests), ("input", row.InputTokens), ("output", row.OutputTokens), ("earned", row.Earned), ("missed", row.Missed), ("failed", row.Failed) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = p + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }

    public static HostEpochStats Read(DbDataReader r) =>
        new(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8));
}
