namespace Shardgate.Api;

/// <summary>Request ids: <c>req_</c> and a version-7 UUID, so ids sort by time and the log's key index stays append-friendly.</summary>
internal static class RequestIds
{
    public const string Header = "X-Request-Id";

    public static string New(DateTimeOffset now) => "req_" + Guid.CreateVersion7(now).ToString("N");
}
