namespace Shardgate.Tests.Infrastructure;

/// <summary>Waits for a condition that another process or thread makes true, polling, bounded at 30 s for a busy machine.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string failure)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail(failure + " within 30 s");
    }
}
