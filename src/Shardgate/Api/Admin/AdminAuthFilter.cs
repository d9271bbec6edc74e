using Microsoft.AspNetCore.Http;
using Shardgate.Api.Auth;
using Shardgate.Kernel;

namespace Shardgate.Api.Admin;

/// <summary>Guards <c>/admin</c>: 404 while no admin key is configured (the API does not exist), 401 for a wrong key.</summary>
internal sealed class AdminAuthFilter(AdminKeyVerifier verifier) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!verifier.IsConfigured)
        {
            return ValueTask.FromResult<object?>(new ErrorResult(GatewayError.NotFound("Not found. The admin API is disabled until SHARDGATE_ADMIN_KEY is set.")));
        }

        if (!verifier.IsAdmin(context.HttpContext.Request))
        {
            return ValueTask.FromResult<object?>(new ErrorResult(GatewayError.Unauthorized("Invalid admin API key. Send 'Authorization: Bearer <SHARDGATE_ADMIN_KEY>'.")));
        }

        return next(context);
    }
}
