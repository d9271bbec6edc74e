using System.Net.Http.Headers;
using System.Text;

namespace Shardgate.Benchmarks;

/// <summary>The chat requests the load benchmarks send, and the one way they send them.</summary>
internal static class ChatPosts
{
    public const string Model = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>A short non-streaming completion: the simulated host answers 8 tokens.</summary>
    public static readonly byte[] Completion = Encoding.UTF8.GetBytes($$"""{"model":"{{Model}}","max_tokens":16,"messages":[{"role":"user","content":"count [[sim:tokens=8]]"}]}""");

    /// <summary>A stream of <paramref name="tokens"/> tokens from the simulated host.</summary>
    public static byte[] Stream(int tokens) =>
        Encoding.UTF8.GetBytes($$"""{"model":"{{Model}}","max_tokens":{{Math.Max(128, tokens * 2)}},"stream":true,"messages":[{"role":"user","content":"stream [[sim:tokens={{tokens}}]]"}]}""");

    /// <summary>Posts <paramref name="body"/> as JSON; the whole answer is read unless <paramref name="completion"/> says headers only (streams).</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri url, byte[] body, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        return await client.SendAsync(request, completion, cancellationToken);
    }
}
