using System.Text.Json.Serialization;

namespace Shardgate.Ledger;

/// <summary>The spool's record payload: the log row as the writer holds it, independent of the admin API's shape.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RequestLogEntry))]
internal sealed partial class SpoolJsonContext : JsonSerializerContext;
