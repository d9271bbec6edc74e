using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shardgate.Admission;
using Shardgate.Api;
using Shardgate.Api.Admin;
using Shardgate.Api.Auth;
using Shardgate.Api.Dashboard;
using Shardgate.Catalog;
using Shardgate.Contract;
using Shardgate.Contract.Tokens;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Network.Discovery;
using Shardgate.Network.Economics;
using Shardgate.Network.Validation;
using Shardgate.Observability;
using Shardgate.Routing;
using Shardgate.Storage;
using Shardgate.Storage.Postgres;
using Shardgate.Storage.Redis;
using Shardgate.Upstream;
using Shardgate.Validation;

namespace Shardgate.Hosting;

/// <summary>Composes the gateway: configuration, services, endpoints, and the database brought up to date.</summary>
internal static class GatewayApplication
{
    /// <summary>
    /// Builds a ready (not yet started) gateway. <paramref name="args"/> are .NET configuration arguments such as
    /// <c>--urls</c>; <paramref name="overrides"/> replaces services after the gateway's own (tests give a component a
    /// fake clock this way).
    /// </summary>
    public static async Task<WebApplication> CreateAsync(string[] args, Action<IServiceCollection>? overrides = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        MapEnvironment(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The endpoint enforces 10 MiB itself to answer with a JSON 413; Kestrel's cap only stops abuse beyond that.
            kestrel.Limits.MaxRequestBodySize = RequestBodyReader.MaxBytes * 2L;
        });
        // Inline with the socket engine only when the operator made the process run its completions inline (InlineIo);
        // the in-process test host reads the same switch, so it runs in the same mode as serve.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = InlineIo.Enabled);
        // ASP.NET Core starts an Activity per request whenever this category can log at all, only to stamp trace ids
        // on log scopes; its own messages are per-request Information lines the request log already covers. Off, a
        // request allocates ~0.8 KB less; a tracing listener (OpenTelemetry) still gets its activities, since hosting
        // also starts them for any ActivitySource listener.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        AddSettings(builder.Services, builder.Configuration);
        var hosting = builder.Configuration.GetSection(ShardgateOptions.Section).Get<ShardgateOptions>() ?? new ShardgateOptions();
        var network = builder.Configuration.GetSection(Settings("Network")).Get<NetworkOptions>() ?? new NetworkOptions();
        var metrics = builder.Configuration.GetSection(Settings("Metrics")).Get<MetricsOptions>() ?? new MetricsOptions();
        var shared = builder.Configuration.GetSection(Settings("Redis")).Get<SharedStateOptions>() ?? new SharedStateOptions();
        builder.AddTelemetry(metrics);
        AddServices(builder.Services, hosting, network, shared);
        overrides?.Invoke(builder.Services);

        var app = builder.Build();
        ValidateSettings(app.Services);
        app.MapTelemetry(metrics);
        MapEndpoints(app);
        await app.Services.GetRequiredService<GatewayInitializer>().InitializeAsync(cancellationToken);
        return app;
    }

    private static string Settings(string feature) => ShardgateOptions.Section + ":" + feature;

    /// <summary>Each feature's own record, from its own part of the <c>Shardgate</c> section; a few keep their historical keys at the top.</summary>
    private static void AddSettings(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ShardgateOptions>(configuration, ShardgateOptions.Section);
        services.AddSettings<AuthOptions>(configuration, ShardgateOptions.Section);
        services.AddSettings<FallbackOptions>(configuration, ShardgateOptions.Section);
        services.AddSettings<RequestLogOptions>(configuration, ShardgateOptions.Section);
        services.AddSettings<UpstreamOptions>(configuration, Settings("Upstream"));
        services.AddSettings<ContractOptions>(configuration, Settings("Contract"));
        services.AddSettings<CatalogOptions>(configuration, Settings("Catalog"));
        services.AddSettings<TokenCountOptions>(configuration, Settings("Tokens"));
        services.AddSettings<LedgerOptions>(configuration, Settings("Ledger"));
        services.AddSettings<AdmissionOptions>(configuration, Settings("Admission"));
        services.AddSettings<NetworkOptions>(configuration, Settings("Network"));
        services.AddSettings<ValidationOptions>(configuration, Settings("Validation"));
        services.AddSettings<HealthOptions>(configuration, Settings("Health"));
        services.AddSettings<AffinityOptions>(configuration, Settings("Affinity"));
        services.AddSettings<HedgingOptions>(configuration, Settings("Hedging"));
        services.AddSettings<MetricsOptions>(configuration, Settings("Metrics"));
        services.AddSettings<TracingOptions>(configuration, Settings("Tracing"));
        services.AddSettings<SharedStateOptions>(configuration, Settings("Redis"));
    }

    /// <summary>Every record checked before anything starts: a bad value stops the gateway with a line naming the setting.</summary>
    private static void ValidateSettings(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (InvalidOperationException ex) when (ex.InnerException is FormatException or InvalidCastException or OverflowException || ex.Message.StartsWith("Failed to convert", StringComparison.Ordinal))
        {
            throw new StartupException(ex.Message, ex);
        }
    }

    private static void AddServices(IServiceCollection services, ShardgateOptions hosting, NetworkOptions network, SharedStateOptions shared)
    {
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<CatalogFileSource>();
        services.AddHostedService(sp => sp.GetRequiredService<CatalogFileSource>());
        services.AddSingleton<ModelResolver>();
        services.AddSingleton<ModelProfiles>();
        services.AddSingleton<ChatPipeline>();
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<LedgerMetrics>();
        services.AddSingleton<UpstreamMetrics>();
        services.AddStorage(hosting.Database);
        // Replicas over one PostgreSQL need owners of their own (this registration wins over the plain settings').
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LedgerOptions>>().Value.ForDatabase(PostgresDatabase.IsConnectionString(hosting.Database)));
        services.AddSingleton<PriceBook>();
        // Hosted services stop in reverse order: the ledger returns its leases after the writer drained its charges.
        services.AddSingleton<BalanceLedger>();
        services.AddHostedService(sp => sp.GetRequiredService<BalanceLedger>());
        // The writer sees a directory or off: the spool's default depends on the database (none over PostgreSQL).
        services.AddSingleton(sp => new RequestLogWriter(
            sp.GetRequiredService<IRequestLogStore>(),
            sp.GetRequiredService<BalanceLedger>(),
            sp.GetRequiredService<RequestLogOptions>().WithDefaultSpool(PostgresDatabase.IsConnectionString(hosting.Database) ? null : hosting.Database),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RequestLogWriter>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RequestLogWriter>());
        services.AddSingleton<RequestFinisher>();
        services.AddSingleton<KeyRateLimiter>();
        if (shared.Enabled)
        {
            services.AddSingleton(sp => RedisConnection.Connect(sp.GetRequiredService<SharedStateOptions>()));
            services.AddSingleton<RedisAdmissionLimiter>();
            services.AddSingleton<IAdmissionLimiter>(sp => sp.GetRequiredService<RedisAdmissionLimiter>());
            services.AddHostedService<ReplicaHeartbeat>();
            services.AddSingleton<IReplicaBus, RedisReplicaBus>();
            services.AddHostedService<ReplicaEvents>();
        }
        else
        {
            services.AddSingleton<IAdmissionLimiter>(sp => sp.GetRequiredService<KeyRateLimiter>());
            services.AddSingleton<IReplicaBus>(NoReplicaBus.Instance);
        }
        services.AddSingleton<ModelAdmission>();
        services.AddSingleton<RequestGate>();
        services.AddSingleton<FallbackRoutes>();
        services.AddSingleton<HostRegistry>();
        services.AddSingleton(sp => new DiscoveredHosts(sp.GetRequiredService<NetworkOptions>().Discovery, sp.GetRequiredService<ILogger<DiscoveredHosts>>()));
        services.AddSingleton<NodeCatalog>();
        services.AddHostedService<NodeRefreshService>();
        if (string.Equals(network.Source, "gonka", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<GonkaNetworkState>();
            services.AddSingleton<INetworkState>(sp => sp.GetRequiredService<GonkaNetworkState>());
            services.AddHostedService(sp => sp.GetRequiredService<GonkaNetworkState>());
            services.AddSingleton<ChainEconomics>();
            services.AddHostedService(sp => sp.GetRequiredService<ChainEconomics>());
        }
        else
        {
            services.AddSingleton<INetworkState, StaticNetworkState>();
        }

        services.AddSingleton<PromptAffinity>();
        services.AddSingleton<FirstTokenLatency>();
        services.AddSingleton<HedgeBudget>();
        services.AddSingleton<HealthTracker>();
        services.AddSingleton<HostSuspicion>();
        services.AddSingleton<HostEarnings>();
        services.AddHostedService<HostEarningsFlusher>();
        services.AddSingleton<ValidationMetrics>();
        services.AddSingleton<ValidationSampler>(sp => new ValidationSampler(sp.GetRequiredService<ValidationOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<HostValidator>();
        services.AddHostedService(sp => sp.GetRequiredService<HostValidator>());
        services.AddSingleton<HostSelector>(sp => new HostSelector(sp.GetRequiredService<HealthTracker>(), sp.GetRequiredService<INetworkState>(), sp.GetRequiredService<HostSuspicion>()));
        services.AddSingleton<UpstreamClient>();
        services.AddSingleton<StreamRelay>();
        services.AddSingleton<CompletionRelay>();
        services.AddSingleton<ChatForwarder>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<AdminKeyVerifier>();
        services.AddSingleton<DashboardSessions>();
        services.AddSingleton<FailedAuthLimiter>();
        services.AddSingleton<TokenCalibration>();
        services.AddSingleton<TokenCounter>();
        services.AddSingleton<ChatHandler>();
        services.AddSingleton<ChatCompletionsEndpoint>();
        services.AddSingleton<MessagesEndpoint>();
        services.AddSingleton<ResponsesEndpoint>();
        services.AddSingleton<ModelsEndpoint>();
        services.AddSingleton<UsageEndpoint>();
        services.AddSingleton<GatewayInitializer>();
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.Use(CatchUnhandledAsync);
        app.MapGet("/healthz", (GatewayInitializer init) => init.IsReady ? Results.Text("ok") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        app.MapPost(ApiEndpoints.ChatCompletions, app.Services.GetRequiredService<ChatCompletionsEndpoint>().HandleAsync);
        app.MapPost(ApiEndpoints.Responses, app.Services.GetRequiredService<ResponsesEndpoint>().HandleAsync);
        app.MapPost(ApiEndpoints.Messages, app.Services.GetRequiredService<MessagesEndpoint>().HandleAsync);
        app.MapPost("/v1/messages/count_tokens", app.Services.GetRequiredService<MessagesEndpoint>().CountTokensAsync);
        app.MapGet("/v1/models", app.Services.GetRequiredService<ModelsEndpoint>().HandleAsync);
        app.MapGet("/v1/usage", app.Services.GetRequiredService<UsageEndpoint>().HandleAsync);
        var admin = app.MapGroup("/admin/v1").AddEndpointFilter<AdminAuthFilter>();
        AdminNodesEndpoints.Map(admin);
        AdminAccountsEndpoints.Map(admin);
        AdminRequestsEndpoints.Map(admin);
        AdminPricesEndpoints.Map(admin);
        AdminStatsEndpoints.Map(admin);
        AdminCatalogEndpoints.Map(admin);
        AdminSpendEndpoints.Map(admin);
        AdminValidationEndpoints.Map(admin);
        AdminParticipantsEndpoints.Map(admin, app);
        DashboardEndpoints.Map(app);
        RootEndpoints.Map(app);
    }

    // Every failure reaches the client in the OpenAI shape, never as an empty 500.
    private static async Task CatchUnhandledAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await ErrorResponse.WriteAsync(context, new GatewayError(ex.StatusCode, ErrorTypes.InvalidRequest, ErrorCodes.InvalidArgument, ex.Message), DialectOf(context));
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            GatewayLog.UnhandledError(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Shardgate"), ex, context.Request.Path);
            await ErrorResponse.WriteAsync(context, new GatewayError(StatusCodes.Status500InternalServerError, ErrorTypes.Server, "internal_error", "The gateway failed unexpectedly; the error is logged. Retry, and report it if it persists."), DialectOf(context));
        }
    }

    private static ApiDialect DialectOf(HttpContext context) =>
        context.Request.Path.StartsWithSegments(ApiEndpoints.Messages) ? ApiDialect.Anthropic : ApiDialect.OpenAi;

    /// <summary>
    /// <c>SHARDGATE_DB</c> and <c>SHARDGATE_ADMIN_KEY</c> feed the Shardgate section; they rank above appsettings
    /// and other environment variables but below command-line arguments.
    /// </summary>
    private static void MapEnvironment(ConfigurationManager configuration)
    {
        var mapped = new Dictionary<string, string?>();
        if (Environment.GetEnvironmentVariable("SHARDGATE_DB") is { Length: > 0 } db)
        {
            mapped[$"{ShardgateOptions.Section}:{nameof(ShardgateOptions.Database)}"] = db;
        }

        if (Environment.GetEnvironmentVariable("SHARDGATE_REDIS") is { Length: > 0 } redis)
        {
            mapped[$"{Settings("Redis")}:{nameof(SharedStateOptions.Configuration)}"] = redis;
        }

        if (Environment.GetEnvironmentVariable("SHARDGATE_CATALOG") is { Length: > 0 } catalog)
        {
            mapped[$"{Settings("Catalog")}:{nameof(CatalogOptions.Path)}"] = catalog;
        }

        if (Environment.GetEnvironmentVariable("SHARDGATE_ADMIN_KEY") is { Length: > 0 } adminKey)
        {
            mapped[$"{ShardgateOptions.Section}:{nameof(AuthOptions.AdminKey)}"] = adminKey;
        }

        if (mapped.Count == 0)
        {
            return;
        }

        var sources = configuration.Sources;
        var commandLine = sources.ToList().FindIndex(s => s is CommandLineConfigurationSource);
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = mapped };
        if (commandLine < 0)
        {
            sources.Add(source);
        }
        else
        {
            sources.Insert(commandLine, source);
        }
    }
}
