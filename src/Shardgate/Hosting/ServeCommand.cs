using System.CommandLine;

namespace Shardgate.Hosting;

/// <summary>
/// <c>shardgate serve</c>: the gateway, configured by .NET configuration (appsettings, environment, arguments).
/// Every argument after <c>serve</c> is a configuration key, so the parser passes them through unchecked; the
/// settings validator names any that are wrong.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(string[] args)
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://127.0.0.1:8080)" };
        var serve = new Command("serve", "Run the gateway. Any configuration key may follow as --Shardgate:Key value (see the README)")
        {
            urls,
        };
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction(async (_, cancellationToken) =>
        {
            await using var app = await GatewayApplication.CreateAsync(args[1..], cancellationToken: cancellationToken);
            await app.RunAsync();
            return 0;
        });
        return serve;
    }
}
