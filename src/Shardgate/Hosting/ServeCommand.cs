namespace Shardgate.Hosting;

/// <summary><c>shardgate serve</c>: the gateway, configured by .NET configuration (appsettings, environment, arguments).</summary>
internal static class ServeCommand
{
    public const string Usage = "  shardgate serve [--urls http://127.0.0.1:8080] [--Shardgate:NodesFile nodes.json] [other configuration keys]";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var app = await GatewayApplication.CreateAsync(args, cancellationToken: cancellationToken);
        await app.RunAsync();
        return 0;
    }
}
