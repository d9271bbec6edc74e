using Npgsql;
using Shardgate.Storage.Postgres;

namespace Shardgate.Tests.Storage.Postgres;

public sealed class PostgresDatabaseTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Username=u;Database=d", 32)]
    [InlineData("Host=127.0.0.1;Username=u;Database=d;Max Auto Prepare=5", 5)]
    public async Task Repeated_statements_are_prepared_automatically_unless_the_connection_string_says_otherwise(string connectionString, int expected)
    {
        // Creating the pool opens no connection, so no server is needed.
        await using var database = new PostgresDatabase(connectionString);

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(database.DataSource.ConnectionString).MaxAutoPrepare);
    }
}
