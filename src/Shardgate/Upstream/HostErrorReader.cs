using System.Text;
using System.Text.Json;

namespace Shardgate.Upstream;

/// <summary>Pulls a readable message out of a host's error body (vLLM's current or older shape, or plain text).</summary>
internal static class HostErrorReader
{
    private const int MaxBytes = 16 * 1024;

    public static async Task<string> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return Extract(bytes.AsSpan(0, Math.Min(bytes.Length, MaxBytes)));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return "(no body)";
        }
    }

    public static string Extract(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        return m.GetString()!;
                    }

                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return error.GetString()!;
                    }
                }

                if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
        }

        var text = Encoding.UTF8.GetString(body).Trim();
        return text.Length == 0 ? "(no body)" : text.Length > 300 ? text[..300] : text;
    }
}
