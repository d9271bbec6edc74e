using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Shardgate.Cli;

/// <summary>
/// The admin API of a running gateway, as the CLI calls it. Answers are <see cref="JsonNode"/>s: the CLI shows what
/// the gateway said, and <c>--json</c> prints it unchanged, so no second set of wire types can drift from the API's.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;

    public AdminClient(Uri baseUrl, string adminKey, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = baseUrl;
        _http.Timeout = TimeSpan.FromSeconds(30);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    }

    public Uri BaseUrl => _http.BaseAddress!;

    public Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonNode> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<JsonNode> PutAsync(string path, JsonNode body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Put, path, body, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, "/admin/v1" + path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new GatewayCallException($"cannot reach the gateway at {BaseUrl}: {ex.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new GatewayCallException(Describe(response, text));
            }

            return string.IsNullOrWhiteSpace(text) ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
        }
    }

    private static string Describe(HttpResponseMessage response, string text)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            if (JsonNode.Parse(text)?["error"]?["message"]?.GetValue<string>() is { } message)
            {
                return $"{status}: {message}";
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return text.Length == 0 ? status : $"{status}: {text}";
    }
}
