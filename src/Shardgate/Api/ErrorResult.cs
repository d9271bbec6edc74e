using Microsoft.AspNetCore.Http;
using Shardgate.Kernel;

namespace Shardgate.Api;

/// <summary>An <see cref="IResult"/> that writes a <see cref="GatewayError"/> in OpenAI's shape.</summary>
internal sealed class ErrorResult(GatewayError error) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => ErrorResponse.WriteAsync(httpContext, error);
}
