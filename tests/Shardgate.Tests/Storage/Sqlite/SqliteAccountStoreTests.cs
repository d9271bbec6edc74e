using Shardgate.Ledger;
using Shardgate.Storage.Sqlite;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Storage.Sqlite;

public sealed class SqliteAccountStoreTests
{
    [Fact]
    public async Task The_key_itself_is_never_stored()
    {
        await using var temp = await TempDatabase.CreateAsync();
        var store = new SqliteAccountStore(temp.Database, TimeProvider.System);
        var account = await store.CreateAccountAsync("acme", default);
        var key = ApiKeyMaterial.NewKey();
        await store.CreateKeyAsync(account.Id, ApiKeyMaterial.Hash(key), ApiKeyMaterial.DisplayPrefix(key), KeyLimits.None, default);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var bytes = await File.ReadAllBytesAsync(temp.Database.FilePath);
        var wal = temp.Database.FilePath + "-wal";
        if (File.Exists(wal))
        {
            bytes = [.. bytes, .. await File.ReadAllBytesAsync(wal)];
        }

        Assert.DoesNotContain(key, System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }
}
