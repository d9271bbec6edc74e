using Microsoft.AspNetCore.Http;
using Shardgate.Api.Auth;
using Shardgate.Api.Dashboard;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network.Economics;

namespace Shardgate.Api.Admin;

/// <summary>
/// Lets the admin key (or a dashboard session) read any participant, and a host operator's key read its own
/// participant only: another participant's figures are a 403, an unknown key a 401.
/// </summary>
internal sealed class ParticipantAccessFilter(AdminKeyVerifier verifier, DashboardSessions sessions, IParticipantStore store) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (verifier.IsAdmin(request) || sessions.TryRead(request, out _, out _))
        {
            return await next(context);
        }

        var token = BearerToken.From(request).ToString();
        var participant = token.StartsWith(AdminParticipantsEndpoints.OperatorKeyPrefix, StringComparison.Ordinal)
            ? await store.FindOperatorAsync(ApiKeyMaterial.Hash(token), context.HttpContext.RequestAborted)
            : null;
        if (participant is null)
        {
            return new ErrorResult(GatewayError.Unauthorized("Send the admin key, or a host operator's key (sgo-…), as 'Authorization: Bearer <key>'."));
        }

        var address = (string?)context.HttpContext.GetRouteValue("address");
        return participant == address
            ? await next(context)
            : new ErrorResult(new GatewayError(StatusCodes.Status403Forbidden, ErrorTypes.InvalidRequest, "participant_forbidden",
                $"This operator key reads only participant '{participant}'. Ask for /admin/v1/participants/{participant}.", "address"));
    }
}
