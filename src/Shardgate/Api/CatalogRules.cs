using System.Globalization;
using Microsoft.AspNetCore.Http;
using Shardgate.Catalog;
using Shardgate.Kernel;

namespace Shardgate.Api;

/// <summary>What the catalog's lifecycle and access say to a request: a retired model's 410, a closed model's 404, a deprecated one's headers.</summary>
internal static class CatalogRules
{
    /// <summary>410 naming the replacement: a client that kept an old name learns what to call instead.</summary>
    public static GatewayError Retired(CatalogModel model) => new(
        StatusCodes.Status410Gone,
        ErrorTypes.InvalidRequest,
        ErrorCodes.ModelRetired,
        model.Replacement is { } next
            ? $"The model '{model.Id}' was retired. Use '{next}' instead."
            : $"The model '{model.Id}' was retired. GET /v1/models lists the models served.",
        "model");

    /// <summary>As OpenAI answers: a model an account may not use is one that, for it, does not exist.</summary>
    public static GatewayError Closed(string name) => new(
        StatusCodes.Status404NotFound,
        ErrorTypes.InvalidRequest,
        ErrorCodes.ModelNotFound,
        $"The model '{name}' does not exist or your account does not have access to it.",
        "model");

    /// <summary>
    /// <c>Deprecation</c> (RFC 9745: since when; the catalog version that deprecated it, or a later one, is in force
    /// since <paramref name="since"/>) and <c>Sunset</c> (RFC 8594: when it stops being served), plus a warning
    /// naming the replacement.
    /// </summary>
    public static void Deprecated(HttpResponse response, CatalogModel model, DateTimeOffset since)
    {
        response.Headers["Deprecation"] = "@" + since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (model.Sunset is { } sunset)
        {
            response.Headers["Sunset"] = new DateTimeOffset(sunset.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToString("R", CultureInfo.InvariantCulture);
        }

        response.Headers.Append(ShardgateHeaders.Warning, model.Replacement is { } next
            ? $"model '{model.Id}' is deprecated; use '{next}' before {model.Sunset:yyyy-MM-dd}"
            : $"model '{model.Id}' is deprecated and served until {model.Sunset:yyyy-MM-dd}");
    }
}
