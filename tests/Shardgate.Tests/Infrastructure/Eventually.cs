namespace Shardgate.Tests.Infrastructure;

/// <summary>Waits for a condition that another process or thread makes true, polling, bounded at 30 s for a busy machine.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string failure)
    {
        if (!await PollAsync(condition))
        {
            Assert.Fail(failure + " within 30 s");
        }
    }

    /// <summary>Whether the condition came to hold; the caller asserts what it needs.</summary>
    public static Task<bool> WaitAsync(Func<bool> condition) => PollAsync(() => Task.FromResult(condition()));

    private static async Task<bool> PollAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
