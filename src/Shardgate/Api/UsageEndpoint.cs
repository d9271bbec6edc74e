using Microsoft.AspNetCore.Http;
using Shardgate.Api.Auth;
using Shardgate.Ledger;
using Shardgate.Storage;

namespace Shardgate.Api;

/// <summary><c>GET /v1/usage</c> for the calling key: what it used per day and model, and what its account has left.</summary>
internal sealed class UsageEndpoint(ApiKeyAuthenticator authenticator, RequestLogWriter writer, IRequestLogStore log, ILedgerStore ledger, BalanceLedger balances)
{
    public async Task HandleAsync(HttpContext context)
    {
        var identity = (await authenticator.IdentifyAsync(context.Request, context.RequestAborted)).Identity;
        if (identity is null)
        {
            await OpenAiError.MissingApiKey.WriteAsync(context);
            return;
        }

        await writer.FlushAsync(context.RequestAborted);
        var days = await log.UsageByKeyAsync(identity.KeyId, context.RequestAborted);
        var stored = await ledger.GetBalanceAsync(identity.AccountId, context.RequestAborted) ?? new AccountBalance(identity.AccountId, 0, 0);
        await Results.Json(new UsageResponse(balances.View(stored).Balance, days), ApiJsonContext.Default.UsageResponse).ExecuteAsync(context);
    }
}
