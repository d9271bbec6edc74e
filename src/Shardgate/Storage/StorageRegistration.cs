using Microsoft.Extensions.DependencyInjection;
using Shardgate.Catalog;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Routing;
using Shardgate.Storage.Postgres;
using Shardgate.Storage.Sqlite;

namespace Shardgate.Storage;

/// <summary>Picks the backend from <c>Shardgate:Database</c>: a PostgreSQL connection string, or a SQLite file path.</summary>
internal static class StorageRegistration
{
    public static void AddStorage(this IServiceCollection services, string database)
    {
        if (PostgresDatabase.IsConnectionString(database))
        {
            services.AddSingleton(new PostgresDatabase(database));
            services.AddSingleton<IDatabaseSetup, PostgresSetup>();
            services.AddSingleton<INodeStore, PostgresNodeStore>();
            services.AddSingleton<Network.Economics.IParticipantStore, PostgresParticipantStore>();
            services.AddSingleton<IAccountStore, PostgresAccountStore>();
            services.AddSingleton<IRequestLogStore, PostgresRequestLogStore>();
            services.AddSingleton<ILedgerStore, PostgresLedgerStore>();
            services.AddSingleton<IHealthStore, PostgresHealthStore>();
            services.AddSingleton<ICatalogStore, PostgresCatalogStore>();
            return;
        }

        services.AddSingleton(new SqliteDatabase(database));
        services.AddSingleton<IDatabaseSetup, SqliteSetup>();
        services.AddSingleton<INodeStore, SqliteNodeStore>();
        services.AddSingleton<Network.Economics.IParticipantStore, SqliteParticipantStore>();
        services.AddSingleton<IAccountStore, SqliteAccountStore>();
        services.AddSingleton<IRequestLogStore, SqliteRequestLogStore>();
        services.AddSingleton<ILedgerStore, SqliteLedgerStore>();
        services.AddSingleton<IHealthStore, SqliteHealthStore>();
        services.AddSingleton<ICatalogStore, SqliteCatalogStore>();
    }
}
