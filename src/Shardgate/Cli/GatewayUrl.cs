namespace Shardgate.Cli;

/// <summary>Which gateway a command talks to: <c>--url</c>, else <c>$SHARDGATE_URL</c>, else the demo's default.</summary>
internal static class GatewayUrl
{
    public const string Description = "The gateway's base URL (default: $SHARDGATE_URL, else http://127.0.0.1:8080)";

    public static Uri Resolve(string? url)
    {
        var text = url ?? Environment.GetEnvironmentVariable("SHARDGATE_URL") ?? "http://127.0.0.1:8080";
        return Uri.TryCreate(text, UriKind.Absolute, out var baseUrl) && baseUrl.Scheme is "http" or "https"
            ? baseUrl
            : throw new CliUsageException($"--url must be an http or https URL, got '{text}'");
    }
}
