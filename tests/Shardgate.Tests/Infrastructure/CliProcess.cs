using System.Diagnostics;

namespace Shardgate.Tests.Infrastructure;

/// <summary>The real <c>shardgate</c> binary (the built <c>shardgate.dll</c>), run once with arguments, as an operator would.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Task<Result> RunAsync(Uri gateway, string? adminKey, params string[] args) => RunAsync(gateway, adminKey, null, args);

    public static async Task<Result> RunAsync(Uri gateway, string? adminKey, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "shardgate.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["SHARDGATE_URL"] = gateway.ToString().TrimEnd('/');
        start.Environment.Remove("SHARDGATE_ADMIN_KEY");
        if (adminKey is not null)
        {
            start.Environment["SHARDGATE_ADMIN_KEY"] = adminKey;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        // Wide enough that no table cell wraps, so a test can find a whole id in the text.
        start.Environment["COLUMNS"] = "400";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
