using System.Data.Common;
using Shardgate.Routing;

namespace Shardgate.Storage;

/// <summary>What both backends share about host-health rows.</summary>
internal static class HealthRows
{
    public static string Upsert(char p) => $"""
        INSERT INTO host_health (node_id, status, until_ms, strikes, successes, reason) VALUES ({p}id, {p}status, {p}until, {p}strikes, {p}successes, {p}reason)
        ON CONFLICT (node_id) DO UPDATE SET status = excluded.status, until_ms = excluded.until_ms, strikes = excluded.strikes, successes = excluded.successes, reason = excluded.reason;
        """;

    public static void Bind(DbCommand command, char p, HostHealthState state)
    {
        Add(command, p + "id", state.NodeId);
        Add(command, p + "status", state.Status.ToString());
        Add(command, p + "until", state.Until?.ToUnixTimeMilliseconds());
        Add(command, p + "strikes", state.Strikes);
        Add(command, p + "successes", state.Successes);
        Add(command, p + "reason", state.Reason);
    }

    public static HostHealthState Read(DbDataReader r) => new(
        r.GetString(0),
        Enum.Parse<HealthStatus>(r.GetString(1)),
        r.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
        r.GetInt32(3),
        r.GetInt32(4),
        r.IsDBNull(5) ? null : r.GetString(5));

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
