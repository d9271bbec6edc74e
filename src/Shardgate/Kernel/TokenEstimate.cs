namespace Shardgate.Kernel;

/// <summary>
/// The gateway's one guess at a token count from UTF-8 bytes, about four a token (English's ratio for the families'
/// byte-level BPE tokenizers). Routing, admission, key limits and Anthropic's <c>count_tokens</c> use it before a host
/// has counted; a cut stream whose host never reported usage is billed by it. Reservations do not: they bound the
/// worst case at one token a byte.
/// </summary>
internal static class TokenEstimate
{
    public const int BytesPerToken = 4;

    public static long FromBytes(long bytes) => (bytes + BytesPerToken - 1) / BytesPerToken;

    public static int FromBytes(int bytes) => (bytes + BytesPerToken - 1) / BytesPerToken;
}
