using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Shardgate.Hosting;
using Shardgate.Simulator;

namespace Shardgate.Tests.Infrastructure;

/// <summary>
/// A real gateway on Kestrel (loopback, free port) with its own SQLite file, plus simulated hosts, wired through
/// the real admin API. Each test class gets its own, so tests never share state through the database.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";

    private readonly List<SimulatedHost> _hosts = [];
    private readonly string _directory;
    private WebApplication? _gateway;
    private bool _ownsPostgresDatabase;

    private GatewayHarness(string directory)
    {
        _directory = directory;
        DatabasePath = Path.Combine(directory, "gateway.db");
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The gateway's database: a SQLite file path, or a PostgreSQL connection string.</summary>
    public string DatabasePath { get; private set; }

    public HttpClient Admin { get; private set; } = null!;

    public IServiceProvider Services => _gateway!.Services;

    public static Task<GatewayHarness> StartAsync(Backend backend, params string[] extraArgs) => StartAsync(true, backend, null, extraArgs);

    public static Task<GatewayHarness> StartAsync(bool withAdminKey = true, params string[] extraArgs) => StartAsync(withAdminKey, Backend.Sqlite, null, extraArgs);

    /// <summary>A gateway whose services <paramref name="overrides"/> replaces, for a component on a fake clock.</summary>
    public static Task<GatewayHarness> StartAsync(Backend backend, Action<IServiceCollection> overrides, params string[] extraArgs) => StartAsync(true, backend, overrides, extraArgs);

    private static async Task<GatewayHarness> StartAsync(bool withAdminKey, Backend backend, Action<IServiceCollection>? overrides, string[] extraArgs)
    {
        var harness = new GatewayHarness(Directory.CreateTempSubdirectory("shardgate-test-").FullName);
        if (backend == Backend.Postgres && !extraArgs.Contains("--Shardgate:Database"))
        {
            harness.DatabasePath = await TestPostgres.CreateDatabaseAsync();
            harness._ownsPostgresDatabase = true;
        }
        else if (Array.IndexOf(extraArgs, "--Shardgate:Database") is var at and >= 0)
        {
            harness.DatabasePath = extraArgs[at + 1];
        }

        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            "--Shardgate:Database", harness.DatabasePath,
            "--Logging:LogLevel:Default", "Warning",
            "--Shardgate:Upstream:FirstByteTimeout", "00:00:10",
            "--Shardgate:Upstream:InterChunkTimeout", "00:00:05",
            // Every test client shares 127.0.0.1: tests of refused keys must not lock out the others' fresh keys.
            "--Shardgate:MaxFailedAuthPerMinute", "1000000",
        };
        if (withAdminKey)
        {
            args.AddRange(["--Shardgate:AdminKey", AdminKey]);
        }

        args.AddRange(extraArgs);
        harness._gateway = await GatewayApplication.CreateAsync([.. args], overrides: overrides);
        await harness._gateway.StartAsync();
        var address = harness._gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        harness.BaseUrl = new Uri(address);
        harness.Admin = harness.CreateClient(AdminKey);
        return harness;
    }

    public HttpClient CreateClient(string? bearer)
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>Starts a simulated host, disposed with the harness, without registering it (discovery finds it).</summary>
    public async Task<SimulatedHost> StartHostAsync(SimulatedHostOptions options)
    {
        var host = await SimulatedHost.StartAsync(options);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Starts a simulated host and registers it as a node through the admin API.</summary>
    public async Task<SimulatedHost> AddHostAsync(string nodeId, SimulatedHostOptions options, int? maxConcurrent = null, double weight = 1)
    {
        var host = await SimulatedHost.StartAsync(options);
        _hosts.Add(host);
        await RegisterAsync(nodeId, host.BaseUrl, options.EffectiveModelId, options.MaxModelLen, maxConcurrent ?? options.MaxConcurrent, weight);
        return host;
    }

    public async Task RegisterAsync(string nodeId, Uri baseUrl, string model, int maxModelLen, int maxConcurrent, double weight = 1)
    {
        var node = new JsonObject
        {
            ["id"] = nodeId,
            ["host"] = baseUrl.Host,
            ["inference_port"] = baseUrl.Port,
            ["max_concurrent"] = maxConcurrent,
            ["weight"] = weight,
            ["models"] = new JsonObject { [model] = new JsonObject { ["args"] = new JsonArray("--max-model-len", maxModelLen.ToString(CultureInfo.InvariantCulture)) } },
        };
        using var response = await Admin.PostAsJsonAsync("/admin/v1/nodes", node);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Creates an account and a key through the admin API and returns the key.</summary>
    public async Task<string> CreateApiKeyAsync(string account = "test") => (await CreateAccountWithKeyAsync(account)).Key;

    /// <summary>Creates an account (optionally credited) and a key through the admin API.</summary>
    public async Task<(long AccountId, string Key)> CreateAccountWithKeyAsync(string account = "test", long credit = 0)
    {
        using var created = await Admin.PostAsJsonAsync("/admin/v1/accounts", new JsonObject { ["name"] = account });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        if (credit > 0)
        {
            using var credited = await Admin.PostAsJsonAsync($"/admin/v1/accounts/{id}/credit", new JsonObject { ["amount"] = credit });
            Assert.Equal(System.Net.HttpStatusCode.OK, credited.StatusCode);
        }

        using var key = await Admin.PostAsync($"/admin/v1/accounts/{id}/keys", null);
        Assert.Equal(System.Net.HttpStatusCode.Created, key.StatusCode);
        return (id, (await key.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>());
    }

    public async Task SetPriceAsync(string model, long input, long output)
    {
        using var response = await Admin.PostAsJsonAsync("/admin/v1/prices", new JsonObject { ["model"] = model, ["input_per_token"] = input, ["output_per_token"] = output });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Reads the books from the database once the request log's spool is committed, as the admin API's reads do.</summary>
    public async Task<LedgerProbe> LedgerAsync()
    {
        await Services.GetRequiredService<Shardgate.Ledger.RequestLogWriter>().FlushAsync();
        return new LedgerProbe(DatabasePath);
    }

    /// <summary>Waits (bounded) for the request-log row of a request id; rows are group-committed off the request path.</summary>
    public async Task<JsonObject> WaitForLogRowAsync(string requestId)
    {
        // Bounded at 30 s, for a machine busy with other work; a row normally appears within milliseconds.
        for (var i = 0; i < 1200; i++)
        {
            using var response = await Admin.GetAsync($"/admin/v1/requests/{requestId}");
            if (response.IsSuccessStatusCode)
            {
                return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"no request-log row for {requestId}");
    }

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.StopAsync();
            await _gateway.DisposeAsync();
        }

        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsPostgresDatabase)
        {
            await TestPostgres.DropDatabaseAsync(DatabasePath);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
