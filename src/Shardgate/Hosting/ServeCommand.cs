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
        var catalog = new Option<string?>("--catalog") { Description = "The model catalog file, YAML or JSON (docs/catalog.md); also SHARDGATE_CATALOG" };
        var serve = new Command("serve", "Run the gateway. Any configuration key may follow as --Shardgate:Key value (see the README)")
        {
            urls,
            catalog,
        };
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction(async (_, cancellationToken) =>
        {
            // --catalog is the short name of a configuration key; the rest pass to configuration as they are.
            var settings = args[1..].Select(a => a == "--catalog" ? "--Shardgate:Catalog:Path" : a.StartsWith("--catalog=", StringComparison.Ordinal) ? "--Shardgate:Catalog:Path=" + a[10..] : a).ToArray();
            await using var app = await GatewayApplication.CreateAsync(settings, cancellationToken: cancellationToken);
            await app.RunAsync();
            return 0;
        });
        return serve;
    }
}
