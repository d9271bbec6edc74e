using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shardgate.Contract;
using Shardgate.Kernel;

namespace Shardgate.Api;

/// <summary>
/// <c>GET</c> and <c>HEAD /</c> (Claude Code's connectivity probe) answer a small JSON that points at the APIs, and an
/// unknown path gets a 404 that says where the API lives, and what went wrong when the base URL already ended in
/// <c>/v1</c> (a client that adds <c>/v1</c> itself then calls <c>/v1/v1/…</c>).
/// </summary>
internal static class RootEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
        {
            var origin = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Json(new RootResponse("shardgate", origin + "/v1", origin, origin + "/ui"), ApiJsonContext.Default.RootResponse);
        });
        app.MapFallback((HttpContext context) => new ErrorResult(GatewayError.NotFound(NotFoundMessage(context.Request))));
    }

    internal static string NotFoundMessage(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        var route = $"No route for {request.Method} {path}.";
        if (path.StartsWith("/v1/v1/", StringComparison.OrdinalIgnoreCase))
        {
            return $"{route} The path has /v1 twice: this client adds /v1 itself, so give it the base URL without /v1 ({request.Scheme}://{request.Host}; for Claude Code, ANTHROPIC_BASE_URL). OpenAI SDKs take the base URL with /v1.";
        }

        return $"{route} The API lives under /v1 ({ApiEndpoints.Listed}).";
    }
}
