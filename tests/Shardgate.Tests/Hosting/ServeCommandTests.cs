using System.Diagnostics;

namespace Shardgate.Tests.Hosting;

public sealed class ServeCommandTests
{
    /// <summary>A setting, a bad value for it, and the start of the one line <c>serve</c> must print.</summary>
    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Shardgate:RequestLogSpool", "{file}/spool", "shardgate serve: The request-log spool directory" },
        { "Shardgate:Upstream:MaxAttempts", "0", "shardgate serve: Shardgate:Upstream:MaxAttempts must be between 1 and 10 (got 0)." },
        { "Shardgate:Hedging:BudgetFraction", "1.5", "shardgate serve: Shardgate:Hedging:BudgetFraction must be between 0 and 1 (got 1.5)." },
        { "Shardgate:Upstream:FirstByteTimeout", "00:00:00", "shardgate serve: Shardgate:Upstream:FirstByteTimeout must be a positive time span" },
        { "Shardgate:RequestLogBatchSize", "0", "shardgate serve: Shardgate:RequestLogBatchSize must be between 1 and 100000 (got 0)." },
        { "Shardgate:Network:Source", "gonkaa", "shardgate serve: Shardgate:Network:Source must be static or gonka (got gonkaa)." },
        { "Shardgate:Network:PublicApi", "localhost:9000", "shardgate serve: Shardgate:Network:PublicApi must be an http or https URL" },
        { "Shardgate:MaxFailedAuthPerMinute", "0", "shardgate serve: Shardgate:MaxFailedAuthPerMinute must be between 1 and 1000000 (got 0)." },
        { "Shardgate:Upstream:MaxAttempts", "three", "shardgate serve: Failed to convert configuration value" },
        { "Shardgate:Tracing:SampleRatio", "2", "shardgate serve: Shardgate:Tracing:SampleRatio must be between 0 and 1 (got 2)." },
        { "Shardgate:Metrics:Url", "http://127.0.0.1/metrics", "shardgate serve: Shardgate:Metrics:Url must be an http URL with an explicit port and no path" },
        { "Shardgate:Ledger:OwnerTimeout", "00:00:02", "shardgate serve: Shardgate:Ledger:OwnerTimeout must be longer than Shardgate:Ledger:LeaseIdle (00:00:05), or the other replicas take a live replica's leases (got 00:00:02)." },
        { "Shardgate:Metrics:Url", "metrics-port", "shardgate serve: Shardgate:Metrics:Url must be an http URL with an explicit port and no path" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_configuration_problem_at_start_exits_with_2_and_one_line_naming_it(string setting, string value, string expected)
    {
        var directory = Directory.CreateTempSubdirectory("shardgate-serve-").FullName;
        try
        {
            var file = Path.Combine(directory, "a-file");
            await File.WriteAllTextAsync(file, "not a directory");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "shardgate.dll"), "serve", "--urls", "http://127.0.0.1:0", "--Shardgate:Database", Path.Combine(directory, "g.db"), "--" + setting, value.Replace("{file}", file, StringComparison.Ordinal) })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(2, process.ExitCode);
            var text = await stderr;
            Assert.StartsWith(expected, text, StringComparison.Ordinal);
            Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
