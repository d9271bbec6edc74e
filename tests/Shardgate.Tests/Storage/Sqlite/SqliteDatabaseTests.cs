using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Storage.Sqlite;

public sealed class SqliteDatabaseTests
{
    [Fact]
    public async Task Writers_of_one_process_take_turns_and_the_next_gets_in_when_the_turn_ends()
    {
        await using var temp = await TempDatabase.CreateAsync();

        var first = await temp.Database.EnterWriteAsync(default);
        var second = temp.Database.EnterWriteAsync(default).AsTask();
        var waitedWhileHeld = !second.IsCompleted;
        first.Dispose();
        using var secondTurn = await second.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(waitedWhileHeld, "a second writer got in while the first held its turn");
    }

    [Fact]
    public async Task A_writer_waiting_for_its_turn_can_give_up()
    {
        await using var temp = await TempDatabase.CreateAsync();
        using var held = await temp.Database.EnterWriteAsync(default);
        using var cancel = new CancellationTokenSource();

        var waiting = temp.Database.EnterWriteAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
