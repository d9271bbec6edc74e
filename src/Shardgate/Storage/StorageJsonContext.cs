using System.Text.Json.Serialization;
using Shardgate.Ledger;
using Shardgate.Network;

namespace Shardgate.Storage;

/// <summary>
/// Source-generated JSON for what the stores keep as JSON columns: a node's spec and a key's limits. The same
/// options as the admin API's, so a stored spec reads the way it was posted.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(NodeSpec))]
[JsonSerializable(typeof(KeyLimits))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
