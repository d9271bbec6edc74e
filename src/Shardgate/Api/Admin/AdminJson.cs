using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Shardgate.Kernel;

namespace Shardgate.Api.Admin;

/// <summary>Reads an admin request body, turning every parse failure into a 400 that says what was wrong.</summary>
internal static class AdminJson
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, Invalid("The body must be JSON: send the header 'Content-Type: application/json'.", ErrorCodes.InvalidContentType));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted);
            return value is null ? (null, Invalid("The body must be a JSON object.", ErrorCodes.InvalidJson)) : (value, null);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 1 } path ? $" at {path}" : string.Empty;
            return (null, Invalid($"The body is not valid for this endpoint{where}: {ex.Message}", ErrorCodes.InvalidJson));
        }
    }

    public static IResult Invalid(string message, string code = ErrorCodes.InvalidArgument, string? param = null) =>
        new ErrorResult(GatewayError.BadRequest(code, message, param));
}
