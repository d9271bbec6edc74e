using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shardgate.Api.Auth;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Storage;

namespace Shardgate.Api.Admin;

/// <summary><c>/admin/v1/accounts</c>: accounts and their API keys.</summary>
internal static class AdminAccountsEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        var accounts = admin.MapGroup("/accounts");
        accounts.MapPost("/", CreateAccountAsync);
        accounts.MapGet("/", ListAccountsAsync);
        accounts.MapGet("/{id:long}", async (long id, IAccountStore store, ILedgerStore ledger, BalanceLedger balances, CancellationToken ct) =>
            await store.GetAccountAsync(id, ct) is { } account
                ? Results.Json(ToResponse(account, await ledger.GetBalanceAsync(id, ct), balances), ApiJsonContext.Default.AccountResponse)
                : AccountNotFound(id));
        accounts.MapPatch("/{id:long}", UpdateAccountAsync);
        accounts.MapPost("/{id:long}/credit", (long id, HttpContext context, IAccountStore store, ILedgerStore ledger, BalanceLedger balances) => AdjustAsync(context, id, store, ledger, balances, credit: true));
        accounts.MapPost("/{id:long}/debit", (long id, HttpContext context, IAccountStore store, ILedgerStore ledger, BalanceLedger balances) => AdjustAsync(context, id, store, ledger, balances, credit: false));
        accounts.MapPost("/{id:long}/keys", CreateKeyAsync);
        accounts.MapGet("/{id:long}/keys", ListKeysAsync);
        accounts.MapPost("/{id:long}/keys/{keyId:long}/revoke", RevokeKeyAsync);
        accounts.MapPut("/{id:long}/keys/{keyId:long}/limits", SetLimitsAsync);
    }

    private static async Task<IResult> CreateAccountAsync(HttpContext context, IAccountStore store, ILedgerStore ledger, BalanceLedger balances, LedgerOptions options)
    {
        var (body, error) = await AdminJson.ReadAsync(context, ApiJsonContext.Default.CreateAccountRequest);
        if (error is not null)
        {
            return error;
        }

        var name = body!.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            return AdminJson.Invalid("'name' is required: a non-empty string of at most 200 characters.", ErrorCodes.InvalidArgument, "name");
        }

        var account = await store.CreateAccountAsync(name, context.RequestAborted);
        if (body.ValidationSampling == false)
        {
            await store.SetValidationSamplingAsync(account.Id, false, context.RequestAborted);
            account = account with { ValidationSampling = false };
        }

        if (options.FreeGrant > 0)
        {
            await ledger.AdjustAsync(account.Id, options.FreeGrant, "grant", context.RequestAborted);
        }

        var balance = await ledger.GetBalanceAsync(account.Id, context.RequestAborted);
        return Results.Json(ToResponse(account, balance, balances), ApiJsonContext.Default.AccountResponse, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Changes what an account allows: <c>validation_sampling</c> (false: its requests are never replayed to validate a host).</summary>
    private static async Task<IResult> UpdateAccountAsync(long id, HttpContext context, IAccountStore store, ILedgerStore ledger, BalanceLedger balances)
    {
        var (body, error) = await AdminJson.ReadAsync(context, ApiJsonContext.Default.UpdateAccountRequest);
        if (error is not null)
        {
            return error;
        }

        if (body!.ValidationSampling is not { } sampling)
        {
            return AdminJson.Invalid("Nothing to change: send 'validation_sampling' (true or false).", ErrorCodes.InvalidArgument, "validation_sampling");
        }

        if (!await store.SetValidationSamplingAsync(id, sampling, context.RequestAborted) || await store.GetAccountAsync(id, context.RequestAborted) is not { } account)
        {
            return AccountNotFound(id);
        }

        return Results.Json(ToResponse(account, await ledger.GetBalanceAsync(id, context.RequestAborted), balances), ApiJsonContext.Default.AccountResponse);
    }

    /// <summary>Query: <c>after</c> (an account id, for the next page), <c>limit</c> (1–500, default 100).</summary>
    private static async Task<IResult> ListAccountsAsync(HttpContext context, IAccountStore store, ILedgerStore ledger, BalanceLedger balances)
    {
        var q = context.Request.Query;
        var after = 0L;
        var limit = 100;
        if ((!string.IsNullOrEmpty(q["after"]) && !long.TryParse(q["after"], out after))
            || (!string.IsNullOrEmpty(q["limit"]) && (!int.TryParse(q["limit"], out limit) || limit is < 1 or > 500)))
        {
            return AdminJson.Invalid("Query: after is an account id, limit an integer from 1 to 500.", ErrorCodes.InvalidArgument, string.IsNullOrEmpty(q["limit"]) ? "after" : "limit");
        }

        var page = await store.ListAccountsAsync(after, limit, context.RequestAborted);
        var answer = new List<AccountResponse>(page.Count);
        foreach (var account in page)
        {
            answer.Add(ToResponse(account, await ledger.GetBalanceAsync(account.Id, context.RequestAborted), balances));
        }

        return Results.Json<IReadOnlyList<AccountResponse>>(answer, ApiJsonContext.Default.IReadOnlyListAccountResponse);
    }

    private static async Task<IResult> AdjustAsync(HttpContext context, long id, IAccountStore store, ILedgerStore ledger, BalanceLedger balances, bool credit)
    {
        var (body, error) = await AdminJson.ReadAsync(context, ApiJsonContext.Default.AmountRequest);
        if (error is not null)
        {
            return error;
        }

        if (body!.Amount is not > 0)
        {
            return AdminJson.Invalid("'amount' is required: a positive integer of ngonka (1 GNK = 1000000000 ngonka).", ErrorCodes.InvalidArgument, "amount");
        }

        var account = await store.GetAccountAsync(id, context.RequestAborted);
        if (account is null)
        {
            return AccountNotFound(id);
        }

        var (balance, refused) = await ledger.AdjustAsync(id, credit ? body.Amount.Value : -body.Amount.Value, credit ? "credit" : "debit", context.RequestAborted);
        if (refused)
        {
            return AdminJson.Invalid($"A debit of {body.Amount} ngonka exceeds the {balance!.Available} not held by replicas' leases (balance {balance.Balance}); leases return after {nameof(LedgerOptions.LeaseIdle)} of no use.", ErrorCodes.InsufficientQuota, "amount");
        }

        return Results.Json(ToResponse(account, balance, balances), ApiJsonContext.Default.AccountResponse);
    }

    private static async Task<IResult> CreateKeyAsync(long id, HttpContext context, IAccountStore store)
    {
        var ct = context.RequestAborted;
        var limits = KeyLimits.None;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var (body, error) = await AdminJson.ReadAsync(context, ApiJsonContext.Default.CreateKeyRequest);
            if (error is not null)
            {
                return error;
            }

            limits = body!.Limits ?? KeyLimits.None;
            if (string.Join("; ", limits.Problems()) is { Length: > 0 } problems)
            {
                return AdminJson.Invalid("limits: " + problems, ErrorCodes.InvalidArgument, "limits");
            }
        }

        if (await store.GetAccountAsync(id, ct) is null)
        {
            return AccountNotFound(id);
        }

        var key = ApiKeyMaterial.NewKey();
        var record = await store.CreateKeyAsync(id, ApiKeyMaterial.Hash(key), ApiKeyMaterial.DisplayPrefix(key), limits, ct);
        return Results.Json(
            new KeyCreatedResponse(record.Id, id, key, record.DisplayPrefix, record.CreatedAt, record.Limits),
            ApiJsonContext.Default.KeyCreatedResponse,
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListKeysAsync(long id, IAccountStore store, CancellationToken ct)
    {
        if (await store.GetAccountAsync(id, ct) is null)
        {
            return AccountNotFound(id);
        }

        var keys = await store.ListKeysAsync(id, ct);
        var response = keys.Select(ToResponse).ToList();
        return Results.Json<IReadOnlyList<KeyResponse>>(response, ApiJsonContext.Default.IReadOnlyListKeyResponse);
    }

    private static async Task<IResult> RevokeKeyAsync(long id, long keyId, IAccountStore store, ApiKeyAuthenticator authenticator, CancellationToken ct)
    {
        var keys = await store.ListKeysAsync(id, ct);
        var key = keys.FirstOrDefault(k => k.Id == keyId);
        if (key is null)
        {
            return new ErrorResult(GatewayError.NotFound($"Account {id} has no key {keyId}."));
        }

        await store.RevokeKeyAsync(id, keyId, ct);
        authenticator.Invalidate(key.Hash);
        var revoked = (await store.ListKeysAsync(id, ct)).First(k => k.Id == keyId);
        return Results.Json<IReadOnlyList<KeyResponse>>([ToResponse(revoked)], ApiJsonContext.Default.IReadOnlyListKeyResponse);
    }

    private static async Task<IResult> SetLimitsAsync(long id, long keyId, HttpContext context, IAccountStore store, ApiKeyAuthenticator authenticator)
    {
        var (limits, error) = await AdminJson.ReadAsync(context, ApiJsonContext.Default.KeyLimits);
        if (error is not null)
        {
            return error;
        }

        if (string.Join("; ", limits!.Problems()) is { Length: > 0 } problems)
        {
            return AdminJson.Invalid(problems, ErrorCodes.InvalidArgument);
        }

        var key = (await store.ListKeysAsync(id, context.RequestAborted)).FirstOrDefault(k => k.Id == keyId);
        if (key is null || !await store.SetKeyLimitsAsync(id, keyId, limits, context.RequestAborted))
        {
            return new ErrorResult(GatewayError.NotFound($"Account {id} has no key {keyId}."));
        }

        // The new limits apply at every replica's next request of the key.
        authenticator.Invalidate(key.Hash);
        return Results.Json<IReadOnlyList<KeyResponse>>([ToResponse(key with { Limits = limits })], ApiJsonContext.Default.IReadOnlyListKeyResponse);
    }

    private static KeyResponse ToResponse(ApiKeyRecord k) => new(k.Id, k.AccountId, k.DisplayPrefix, k.CreatedAt, k.RevokedAt, k.Limits);

    private static AccountResponse ToResponse(Account account, AccountBalance? balance, BalanceLedger balances)
    {
        var view = balances.View(balance ?? new AccountBalance(account.Id, 0, 0));
        return new(account.Id, account.Name, account.CreatedAt, view.Balance, view.Reserved, view.Available, view.Leased, account.ValidationSampling);
    }

    private static ErrorResult AccountNotFound(long id) => new ErrorResult(GatewayError.NotFound($"No account with id {id}."));
}
