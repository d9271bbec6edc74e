using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shardgate.Kernel;
using Shardgate.Network.Validation;
using Shardgate.Validation;

namespace Shardgate.Api.Admin;

/// <summary><c>/admin/v1/validation</c>: what sampling replayed, how hosts compare, and who is suspect.</summary>
internal static class AdminValidationEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/validation", (ValidationOptions options, ValidationSampler sampler, HostSuspicion suspicion, HostValidator validator) =>
            Results.Json(new ValidationResponse(sampler.Active, options.AccountId, options.Fraction, options.Window, options.Divergent, suspicion.Snapshot(), validator.Recent), ApiJsonContext.Default.ValidationResponse));
        admin.MapPost("/validation/hosts/{id}/clear", (string id, HostSuspicion suspicion) =>
            suspicion.Clear(id)
                ? Results.NoContent()
                : new ErrorResult(GatewayError.NotFound($"No validation record for host '{id}'. GET /admin/v1/validation lists them.")));
    }
}
