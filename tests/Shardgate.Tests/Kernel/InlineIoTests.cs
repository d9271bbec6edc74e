using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Kernel;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Kernel;

public sealed class InlineIoTests
{
    public static TheoryData<string?, string?, int, string?, string?> Defaults => new()
    {
        // operator's completions, operator's threads, cores → completions, threads after the defaults
        { null, null, 2, null, null },
        { null, "3", 8, null, "3" },
        { "1", null, 4, "1", "4" },
        { "1", null, 0, "1", "1" },
        { "1", "3", 8, "1", "3" },
        { "0", null, 4, "0", null },
        { "0", "2", 4, "0", "2" },
    };

    [Theory]
    [MemberData(nameof(Defaults))]
    public void Inline_io_is_off_unless_the_operator_opts_in_and_then_gets_a_thread_per_core(string? completions, string? threads, int cores, string? expectedCompletions, string? expectedThreads)
    {
        var environment = new Dictionary<string, string>();
        if (completions is not null)
        {
            environment[InlineIo.CompletionsVariable] = completions;
        }

        if (threads is not null)
        {
            environment[InlineIo.ThreadsVariable] = threads;
        }

        InlineIo.ApplyDefaults(environment.GetValueOrDefault, (name, value) => environment[name] = value, cores);

        Assert.Equal(expectedCompletions, environment.GetValueOrDefault(InlineIo.CompletionsVariable));
        Assert.Equal(expectedThreads, environment.GetValueOrDefault(InlineIo.ThreadsVariable));
        Assert.Equal(expectedCompletions == "1", InlineIo.IsEnabled(environment.GetValueOrDefault));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("1", true)]
    public async Task The_serve_process_runs_io_on_the_thread_pool_unless_inline_is_asked_for(string? completions, bool inline)
    {
        var directory = Directory.CreateTempSubdirectory("shardgate-inline-").FullName;
        try
        {
            var environment = new Dictionary<string, string>();
            if (completions is not null)
            {
                environment[InlineIo.CompletionsVariable] = completions;
            }

            await using var gateway = await GatewayProcess.StartAsync(Path.Combine(directory, "g.db"), "inline-admin", environment);
            using var admin = new HttpClient { BaseAddress = gateway.BaseUrl };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "inline-admin");

            var status = (await admin.GetFromJsonAsync<JsonObject>("/admin/v1/runtime"))!;

            Assert.Equal(inline, status["inline_io"]!.GetValue<bool>());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
