using Microsoft.AspNetCore.Http;

namespace Shardgate.Api.Admin;

/// <summary>An <see cref="IResult"/> that writes an <see cref="OpenAiError"/>.</summary>
internal sealed class OpenAiErrorResult(OpenAiError error) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => error.WriteAsync(httpContext);
}
