using System.Diagnostics;

namespace Shardgate.Tests.Hosting;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task A_configuration_problem_at_start_exits_with_2_and_one_line_naming_it()
    {
        var directory = Directory.CreateTempSubdirectory("shardgate-serve-").FullName;
        try
        {
            var file = Path.Combine(directory, "a-file");
            await File.WriteAllTextAsync(file, "not a directory");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "shardgate.dll"), "serve", "--urls", "http://127.0.0.1:0", "--Shardgate:Database", Path.Combine(directory, "g.db"), "--Shardgate:RequestLogSpool", Path.Combine(file, "spool") })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(2, process.ExitCode);
            var text = await stderr;
            Assert.StartsWith("shardgate serve: The request-log spool directory", text, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
