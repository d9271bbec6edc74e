using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Shardgate.Network.Validation;

[JsonSerializable(typeof(JsonObject))]
internal sealed partial class ValidationJsonContext : JsonSerializerContext;
