using Microsoft.AspNetCore.Http;
using Shardgate.Api;
using Shardgate.Observability;

namespace Shardgate.Upstream;

/// <summary>
/// A model could not serve the request before anything was written (saturated, resting, every host failed, context
/// too long): the caller may fall through to the next model, or answer with this error.
/// </summary>
internal sealed record PendingError(OpenAiError Error, string Outcome, long? RetryAfterSeconds = null, bool ModelCouldNotServe = true)
{
    /// <summary>A refusal of the request itself (the contract, the key, the balance): another model would not change it.</summary>
    public static PendingError Final(OpenAiError error) => new(error, Storage.RequestOutcome.Rejected, ModelCouldNotServe: false);

    public async Task WriteAsync(HttpContext context, RequestTrace trace)
    {
        if (RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        trace.Status = Error.StatusFor(context);
        trace.Outcome = Outcome;
        trace.Error = Error.Message;
        await Error.WriteAsync(context);
    }
}
