using Microsoft.AspNetCore.Http;
using Shardgate.Api.Auth;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Storage;

namespace Shardgate.Api;

/// <summary><c>GET /v1/usage</c> for the calling key: what it used per day and model, and what its account has left.</summary>
internal sealed class UsageEndpoint(ApiKeyAuthenticator authenticator, RequestLogWriter writer, IRequestLogStore log, ILedgerStore ledger, BalanceLedger balances)
{
    public async Task HandleAsync(HttpContext context)
    {
        var caller = await authenticator.IdentifyAsync(context.Request, context.RequestAborted);
        if (caller.Identity is not { } identity)
        {
            var refusal = caller.Refusal!;
            await ErrorResponse.WriteAsync(context, refusal.Error, retryAfterSeconds: refusal.RetryAfterSeconds);
            return;
        }

        await writer.FlushAsync(context.RequestAborted);
        var days = await log.UsageAsync(identity.KeyId, accountId: null, from: null, context.RequestAborted);
        var stored = await ledger.GetBalanceAsync(identity.AccountId, context.RequestAborted) ?? new AccountBalance(identity.AccountId, 0, 0);
        await Results.Json(new UsageResponse(balances.View(stored).Balance, days), ApiJsonContext.Default.UsageResponse).ExecuteAsync(context);
    }
}
