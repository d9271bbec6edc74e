using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shardgate.Kernel;
using Shardgate.Ledger;

namespace Shardgate.Api.Admin;

/// <summary><c>/admin/v1/prices</c>: ngonka per input and per output token, per model.</summary>
internal static class AdminPricesEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/prices", (PriceBook prices) =>
            Results.Json<IReadOnlyList<PriceResponse>>([.. prices.All.OrderBy(p => p.Model, StringComparer.Ordinal).Select(ToResponse)], ApiJsonContext.Default.IReadOnlyListPriceResponse));
        admin.MapPost("/prices", SetAsync);
    }

    private static async Task<IResult> SetAsync(HttpContext context, PriceBook prices)
    {
        var (body, error) = await AdminJson.ReadAsync(context, ApiJsonContext.Default.PriceRequest);
        if (error is not null)
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(body!.Model))
        {
            return AdminJson.Invalid("'model' is required: the canonical model id the price applies to.", ErrorCodes.InvalidArgument, "model");
        }

        if (body.InputPerToken is not >= 0 || body.OutputPerToken is not >= 0)
        {
            return AdminJson.Invalid("'input_per_token' and 'output_per_token' are required: non-negative integers, in ngonka per token.", ErrorCodes.InvalidArgument, body.InputPerToken is not >= 0 ? "input_per_token" : "output_per_token");
        }

        if (prices.IsDeclared(body.Model.Trim()))
        {
            return new ErrorResult(new GatewayError(StatusCodes.Status409Conflict, ErrorTypes.InvalidRequest, ErrorCodes.InvalidArgument,
                $"The model catalog sets the price of '{body.Model.Trim()}'; change it there (the catalog file, or PUT /admin/v1/catalog).", "model"));
        }

        var price = new Price(body.Model.Trim(), body.InputPerToken.Value, body.OutputPerToken.Value);
        await prices.SetAsync(price, context.RequestAborted);
        return Results.Json(ToResponse(price), ApiJsonContext.Default.PriceResponse);
    }

    private static PriceResponse ToResponse(Price price) => new(price.Model, price.InputPerToken, price.OutputPerToken);
}
