using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Shardgate.Network.Validation;

namespace Shardgate.Validation;

[JsonSerializable(typeof(JsonObject))]
internal sealed partial class ValidationJsonContext : JsonSerializerContext;
