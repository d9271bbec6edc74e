using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Shardgate.Api.Admin;
using Shardgate.Api.Auth;
using Shardgate.Kernel;

namespace Shardgate.Api.Dashboard;

/// <summary>
/// <c>/ui</c>: the operator's dashboard. One page and its assets, embedded in the binary; sign-in exchanges the admin
/// key for a session cookie; everything the page shows it reads from <c>/admin/v1</c> with that cookie. Off (404)
/// while no admin key is set, like the admin API.
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly ManifestEmbeddedFileProvider Assets = new(typeof(DashboardEndpoints).Assembly, "Api/Dashboard/wwwroot");
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup("/ui").AddEndpointFilter(static async (context, next) =>
        {
            if (!context.HttpContext.RequestServices.GetRequiredService<AdminKeyVerifier>().IsConfigured)
            {
                return new ErrorResult(GatewayError.NotFound("Not found. The dashboard is off until SHARDGATE_ADMIN_KEY is set."));
            }

            SecurityHeaders(context.HttpContext.Response);
            return await next(context);
        });
        ui.MapGet("/", () => File("index.html"));
        ui.MapGet("/assets/{*path}", (string path) => File(path));
        ui.MapPost("/login", LoginAsync);
        ui.MapGet("/session", (HttpContext context, DashboardSessions sessions) =>
            Results.Json(
                sessions.TryRead(context.Request, out var csrf, out var expires) ? new DashboardSessionResponse(true, csrf, expires) : new DashboardSessionResponse(false, null, null),
                ApiJsonContext.Default.DashboardSessionResponse));
        ui.MapPost("/logout", (HttpContext context, DashboardSessions sessions) =>
        {
            if (sessions.TryRead(context.Request, out var csrf, out _) && !DashboardSessions.CsrfMatches(context.Request, csrf))
            {
                return new ErrorResult(new GatewayError(StatusCodes.Status403Forbidden, ErrorTypes.InvalidRequest, ErrorCodes.CsrfTokenInvalid, $"Send the session's {DashboardSessions.CsrfHeader} header to sign out."));
            }

            context.Response.Cookies.Delete(DashboardSessions.CookieName, CookieOptions(context, DateTimeOffset.UnixEpoch));
            return Results.NoContent();
        });
    }

    private static async Task<IResult> LoginAsync(HttpContext context, AdminKeyVerifier verifier, DashboardSessions sessions, FailedAuthLimiter limiter)
    {
        var address = context.Connection.RemoteIpAddress;
        if (limiter.LockedOut(address) is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new ErrorResult(new GatewayError(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, ErrorCodes.TooManyFailedAuth, "Too many failed sign-ins from this address; wait and try again."));
        }

        var (body, error) = await AdminJson.ReadAsync(context, ApiJsonContext.Default.DashboardLoginRequest);
        if (error is not null)
        {
            return error;
        }

        if (string.IsNullOrEmpty(body!.AdminKey))
        {
            return AdminJson.Invalid("'admin_key' is required: the gateway's SHARDGATE_ADMIN_KEY.", ErrorCodes.InvalidArgument, "admin_key");
        }

        if (!verifier.Matches(SHA256.HashData(Encoding.UTF8.GetBytes(body.AdminKey))))
        {
            limiter.Failed(address);
            return new ErrorResult(GatewayError.Unauthorized("That is not this gateway's admin key."));
        }

        var (cookie, csrf, expires) = sessions.Issue();
        context.Response.Cookies.Append(DashboardSessions.CookieName, cookie, CookieOptions(context, expires));
        return Results.Json(new DashboardSessionResponse(true, csrf, expires), ApiJsonContext.Default.DashboardSessionResponse);
    }

    /// <summary>An embedded asset's text, for pages built elsewhere (the eval report inlines the chart library).</summary>
    public static string ReadAsset(string path)
    {
        using var reader = new StreamReader(Assets.GetFileInfo(path).CreateReadStream());
        return reader.ReadToEnd();
    }

    private static CookieOptions CookieOptions(HttpContext context, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    private static IResult File(string path)
    {
        var file = Assets.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
        {
            return new ErrorResult(GatewayError.NotFound($"The dashboard has no file '{path}'."));
        }

        var type = ContentTypes.TryGetContentType(file.Name, out var known) ? known : "application/octet-stream";
        return Results.Stream(file.CreateReadStream(), type, lastModified: file.LastModified);
    }

    // The page loads nothing from elsewhere and runs no inline script, so the strictest policy costs nothing.
    private static void SecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.CacheControl = "no-cache";
    }
}
