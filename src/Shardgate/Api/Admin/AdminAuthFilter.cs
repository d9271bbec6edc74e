using Microsoft.AspNetCore.Http;
using Shardgate.Api.Auth;
using Shardgate.Api.Dashboard;
using Shardgate.Kernel;

namespace Shardgate.Api.Admin;

/// <summary>
/// Guards <c>/admin</c>: 404 while no admin key is configured (the API does not exist), 401 without the admin key.
/// The dashboard's session cookie stands in for the key; with it, every action (anything but GET and HEAD) must
/// also carry the session's CSRF token, or it is refused with 403.
/// </summary>
internal sealed class AdminAuthFilter(AdminKeyVerifier verifier, DashboardSessions sessions) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (!verifier.IsConfigured)
        {
            return Refuse(GatewayError.NotFound("Not found. The admin API is disabled until SHARDGATE_ADMIN_KEY is set."));
        }

        if (verifier.IsAdmin(request))
        {
            return next(context);
        }

        if (!sessions.TryRead(request, out var csrf, out _))
        {
            return Refuse(GatewayError.Unauthorized("Invalid admin API key. Send 'Authorization: Bearer <SHARDGATE_ADMIN_KEY>'."));
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !DashboardSessions.CsrfMatches(request, csrf))
        {
            return Refuse(new GatewayError(StatusCodes.Status403Forbidden, ErrorTypes.InvalidRequest, ErrorCodes.CsrfTokenInvalid,
                $"The {DashboardSessions.CsrfHeader} header is missing or not this session's. Reload the dashboard and try again."));
        }

        return next(context);
    }

    private static ValueTask<object?> Refuse(GatewayError error) => ValueTask.FromResult<object?>(new ErrorResult(error));
}
