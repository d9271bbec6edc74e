using Shardgate.Simulator;

namespace Shardgate.Tests.Infrastructure;

/// <summary>A gateway with one healthy simulated host per family and one API key, shared by a test class.</summary>
public sealed class ThreeFamilyGateway : IAsyncLifetime
{
    internal GatewayHarness Harness { get; private set; } = null!;

    internal string ApiKey { get; private set; } = null!;

    internal HttpClient Client { get; private set; } = null!;

    internal SimulatedHost Kimi { get; private set; } = null!;

    internal SimulatedHost Qwen { get; private set; } = null!;

    internal SimulatedHost MiniMax { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await GatewayHarness.StartAsync();
        Kimi = await Harness.AddHostAsync("kimi-1", new SimulatedHostOptions { Family = ModelFamily.Kimi, MaxModelLen = 262_144 });
        Qwen = await Harness.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 8_192 });
        MiniMax = await Harness.AddHostAsync("minimax-1", new SimulatedHostOptions { Family = ModelFamily.MiniMax, MaxModelLen = 196_608 });
        ApiKey = await Harness.CreateApiKeyAsync();
        Client = Harness.CreateClient(ApiKey);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Harness.DisposeAsync();
    }
}
