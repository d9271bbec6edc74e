using Npgsql;
using Shardgate.Ledger;

namespace Shardgate.Storage.Postgres;

/// <summary>
/// Balances and leases on PostgreSQL. Each change locks the account's row (<c>FOR UPDATE</c>) for one short
/// transaction: the check "available covers it" and the change are atomic, and the lock is taken per lease or
/// admin action, not per request.
/// </summary>
internal sealed class PostgresLedgerStore(PostgresDatabase database, TimeProvider time) : ILedgerStore
{
    public async Task<AccountBalance?> GetBalanceAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadBalanceAsync(connection, null, accountId, forUpdate: false, cancellationToken);
    }

    public async Task<(AccountBalance? Balance, bool Refused)> AdjustAsync(long accountId, long amount, string kind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var current = await ReadBalanceAsync(connection, tx, accountId, forUpdate: true, cancellationToken);
        if (current is null)
        {
            return (null, false);
        }

        if (amount < 0 && current.Available + amount < 0)
        {
            return (current, true);
        }

        await PostgresMigrator.ExecuteAsync(connection, tx, "UPDATE accounts SET balance = balance + @amount WHERE id = @id;", cancellationToken, ("amount", amount), ("id", accountId));
        await PostgresMigrator.ExecuteAsync(connection, tx, "INSERT INTO ledger_entries (account_id, amount, kind, created_at) VALUES (@id, @amount, @kind, @now);", cancellationToken,
            ("id", accountId), ("amount", amount), ("kind", kind), ("now", time.GetUtcNow().ToUnixTimeMilliseconds()));
        await tx.CommitAsync(cancellationToken);
        return (current with { Balance = current.Balance + amount }, false);
    }

    public async Task<long> TakeLeaseAsync(string owner, long accountId, long amount, long minimum, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var current = await ReadBalanceAsync(connection, tx, accountId, forUpdate: true, cancellationToken);
        var take = current is null ? 0 : Math.Min(amount, current.Available);
        if (take < minimum || take <= 0)
        {
            return 0;
        }

        await PostgresMigrator.ExecuteAsync(connection, tx, "UPDATE accounts SET reserved = reserved + @take WHERE id = @id;", cancellationToken, ("take", take), ("id", accountId));
        await PostgresMigrator.ExecuteAsync(connection, tx, """
            INSERT INTO balance_leases (owner, account_id, amount, updated_at) VALUES (@owner, @id, @take, @now)
            ON CONFLICT (owner, account_id) DO UPDATE SET amount = balance_leases.amount + excluded.amount, updated_at = excluded.updated_at;
            """, cancellationToken, ("owner", owner), ("id", accountId), ("take", take), ("now", time.GetUtcNow().ToUnixTimeMilliseconds()));
        await tx.CommitAsync(cancellationToken);
        return take;
    }

    public async Task ReturnLeaseAsync(string owner, long accountId, long amount, CancellationToken cancellationToken)
    {
        if (amount <= 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await ReturnAsync(connection, tx, owner, accountId, amount, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<long> RenewLeasesAsync(string owner, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresMigrator.ExecuteAsync(connection, tx, "UPDATE balance_leases SET updated_at = @now WHERE owner = @owner;", cancellationToken, ("now", now), ("owner", owner));
        // SKIP LOCKED: two replicas reaping at once each take different rows, and neither waits on the other.
        var released = await ReleaseAsync(connection, tx, "owner <> @owner AND updated_at < @cutoff ORDER BY account_id FOR UPDATE SKIP LOCKED", owner, now - (long)timeout.TotalMilliseconds, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return released;
    }

    public async Task<long> ReleaseAllLeasesAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var released = await ReleaseAsync(connection, tx, "owner = @owner ORDER BY account_id FOR UPDATE", owner, 0, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return released;
    }

    private static async Task<long> ReleaseAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string where, string owner, long cutoff, CancellationToken cancellationToken)
    {
        List<(string Owner, long Account, long Amount)> leases;
        await using (var select = new NpgsqlCommand($"SELECT owner, account_id, amount FROM balance_leases WHERE {where};", connection, tx))
        {
            select.Parameters.AddWithValue("owner", owner);
            select.Parameters.AddWithValue("cutoff", cutoff);
            leases = await select.ReadAllAsync(reader => (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)), cancellationToken);
        }

        foreach (var (leaseOwner, account, amount) in leases)
        {
            await ReturnAsync(connection, tx, leaseOwner, account, amount, cancellationToken);
        }

        return leases.Sum(l => l.Amount);
    }

    public async Task SetPriceAsync(Price price, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await PostgresMigrator.ExecuteAsync(connection, null, """
            INSERT INTO prices (model, input_per_token, output_per_token, updated_at) VALUES (@model, @in, @out, @now)
            ON CONFLICT (model) DO UPDATE SET input_per_token = excluded.input_per_token, output_per_token = excluded.output_per_token, updated_at = excluded.updated_at;
            """, cancellationToken, ("model", price.Model), ("in", price.InputPerToken), ("out", price.OutputPerToken), ("now", time.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    public async Task<IReadOnlyList<Price>> ListPricesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT model, input_per_token, output_per_token FROM prices ORDER BY model;", connection);
        return await command.ReadAllAsync(reader => new Price(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)), cancellationToken);
    }

    private static async Task ReturnAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string owner, long accountId, long amount, CancellationToken cancellationToken)
    {
        await PostgresMigrator.ExecuteAsync(connection, tx, "UPDATE accounts SET reserved = reserved - @amount WHERE id = @id;", cancellationToken, ("amount", amount), ("id", accountId));
        await PostgresMigrator.ExecuteAsync(connection, tx, "UPDATE balance_leases SET amount = amount - @amount WHERE owner = @owner AND account_id = @id;", cancellationToken, ("amount", amount), ("owner", owner), ("id", accountId));
        await PostgresMigrator.ExecuteAsync(connection, tx, "DELETE FROM balance_leases WHERE owner = @owner AND account_id = @id AND amount <= 0;", cancellationToken, ("owner", owner), ("id", accountId));
    }

    private static async Task<AccountBalance?> ReadBalanceAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long accountId, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT balance, reserved FROM accounts WHERE id = @id{(forUpdate ? " FOR UPDATE" : string.Empty)};", connection, tx);
        command.Parameters.AddWithValue("id", accountId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new AccountBalance(accountId, reader.GetInt64(0), reader.GetInt64(1)) : null;
    }
}
