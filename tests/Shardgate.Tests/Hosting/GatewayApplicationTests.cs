using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Hosting;

public sealed class GatewayApplicationTests
{
    [Fact]
    public async Task The_hosting_log_category_is_off_so_no_request_gets_an_activity_for_log_scopes_alone()
    {
        await using var harness = await GatewayHarness.StartAsync();

        var hosting = harness.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");

        // ASP.NET Core starts a per-request Activity whenever this logger is enabled at Critical.
        Assert.False(hosting.IsEnabled(LogLevel.Critical));
        Assert.True(harness.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Shardgate").IsEnabled(LogLevel.Critical));
    }
}
