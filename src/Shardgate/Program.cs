using Shardgate.Hosting;
using Shardgate.Kernel;

// The verb picks what runs; everything after it belongs to that verb.
var verb = args.Length > 0 ? args[0] : "help";
var rest = args.Length > 1 ? args[1..] : [];
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// SIGTERM (docker stop, Kubernetes, kill) stops as gracefully as Ctrl-C: in-flight requests finish, the log commits.
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

if (verb is "serve" or "demo")
{
    InlineIo.ApplyDefaults();
}

try
{
    return verb switch
    {
        "serve" => await ServeCommand.RunAsync(rest, stop.Token),
        "demo" => await DemoCommand.RunAsync(rest, stop.Token),
        "sim" => await SimCommand.RunAsync(rest, stop.Token),
        _ => PrintUsage(verb is "help" or "--help" or "-h" ? null : verb),
    };
}
catch (Exception ex) when (StartupFailure.Lines(ex) is { } lines)
{
    foreach (var line in lines)
    {
        Console.Error.WriteLine($"shardgate {verb}: {line}");
    }

    return 2;
}

static int PrintUsage(string? unknown)
{
    if (unknown is not null)
    {
        Console.Error.WriteLine($"unknown command '{unknown}'");
    }

    Console.WriteLine($"""
        Shardgate: an OpenAI-compatible broker for decentralized GPU networks.

        Usage:
        {ServeCommand.Usage}
        {DemoCommand.Usage}
        {SimCommand.Usage}
        """);
    return unknown is null ? 0 : 2;
}
