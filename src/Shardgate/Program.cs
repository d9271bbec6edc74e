using Shardgate.Cli;
using Shardgate.Hosting;
using Shardgate.Kernel;

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

var verb = args.Length > 0 ? args[0] : "help";
if (verb is "serve" or "demo")
{
    InlineIo.ApplyDefaults();
}

try
{
    return await ShardgateCommandLine.RunAsync(args, stop.Token);
}
catch (Exception ex) when (StartupFailure.Lines(ex) is { } lines)
{
    foreach (var line in lines)
    {
        Console.Error.WriteLine($"shardgate {verb}: {line}");
    }

    return 2;
}
