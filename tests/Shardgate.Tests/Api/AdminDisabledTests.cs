using System.Net;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api;

public sealed class AdminDisabledTests
{
    [Fact]
    public async Task Without_an_admin_key_the_admin_api_does_not_exist()
    {
        await using var harness = await GatewayHarness.StartAsync(withAdminKey: false);
        using var client = harness.CreateClient("anything");

        using var response = await client.GetAsync("/admin/v1/nodes");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
