using Shardgate.Network;
using Shardgate.Storage.Sqlite;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Storage.Sqlite;

public sealed class SqliteNodeStoreTests
{
    private static NodeSpec Node(string id) => new()
    {
        Id = id,
        Host = "h",
        InferencePort = 1,
        MaxConcurrent = 2,
        Weight = 1.5,
        Models = new Dictionary<string, NodeModelSpec> { ["m"] = new() { Args = ["--max-model-len", "100"] } },
        Hardware = [new HardwareSpec("H100", 8)],
    };

    [Fact]
    public async Task Upsert_reports_creation_once_and_round_trips_every_field()
    {
        await using var temp = await TempDatabase.CreateAsync();
        var store = new SqliteNodeStore(temp.Database, TimeProvider.System);

        Assert.True(await store.UpsertAsync(Node("a"), default));
        Assert.False(await store.UpsertAsync(Node("a") with { Enabled = false }, default));

        var read = await store.GetAsync("a", default);
        Assert.NotNull(read);
        Assert.False(read.Enabled);
        Assert.Equal(1.5, read.Weight);
        Assert.Equal(["--max-model-len", "100"], read.Models["m"].Args);
        Assert.Equal(new HardwareSpec("H100", 8), read.Hardware!.Single());
    }

    [Fact]
    public async Task Delete_removes_and_reports_whether_anything_was_there()
    {
        await using var temp = await TempDatabase.CreateAsync();
        var store = new SqliteNodeStore(temp.Database, TimeProvider.System);
        await store.UpsertAsync(Node("a"), default);

        Assert.True(await store.DeleteAsync("a", default));
        Assert.False(await store.DeleteAsync("a", default));
        Assert.Empty(await store.ListAsync(default));
    }
}
