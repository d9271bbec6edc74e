using System.Text.Json;

namespace Shardgate.Contract.Messages;

/// <summary>A message that goes upstream: the original element, and the edit applied while writing it, if any.</summary>
internal readonly record struct PlannedMessage(JsonElement Original, MessageEdit? Edit);
