using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Shardgate.Ledger;
using Shardgate.Observability;
using Shardgate.Upstream;

namespace Shardgate.Hosting;

/// <summary>
/// OpenTelemetry for the gateway: its meters and the runtime's, scraped at <c>/metrics</c> (Prometheus text) and
/// pushed over OTLP when the standard <c>OTEL_EXPORTER_OTLP_*</c> variables name an endpoint; its spans, sampled
/// parent-based at <see cref="TracingOptions.SampleRatio"/>, exported over OTLP. Without an OTLP endpoint no tracer
/// is built, so spans cost nothing until an operator asks for them.
/// </summary>
internal static class Telemetry
{
    public const string ServiceName = "shardgate";

    private static readonly string[] Meters = [GatewayMetrics.MeterName, UpstreamMetrics.MeterName, LedgerMetrics.MeterName, Validation.ValidationMetrics.MeterName, Storage.Redis.RedisAdmissionLimiter.MeterName];

    public static void AddTelemetry(this WebApplicationBuilder builder, MetricsOptions metrics)
    {
        var configuration = builder.Configuration;
        // A relative or malformed URL is left to the settings' validation, which names it before anything binds.
        if (metrics.Enabled && metrics.Url is { IsAbsoluteUri: true } url)
        {
            // The scrape port joins the main listeners; the request filter keeps each port to its own job.
            var urls = configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } main ? main : "http://localhost:5000";
            builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), url.GetLeftPart(UriPartial.Authority)]);
        }

        var services = builder.Services;
        var otel = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName));
        var pushMetrics = HasOtlpEndpoint(configuration, "METRICS");
        if (metrics.Enabled || pushMetrics)
        {
            otel.WithMetrics(meters =>
            {
                meters.AddMeter(Meters).AddRuntimeInstrumentation();
                if (metrics.Enabled)
                {
                    // Each scrape reads the instruments now: a test (or an operator) that just sent a request sees it.
                    meters.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                }

                if (pushMetrics)
                {
                    meters.AddOtlpExporter();
                }
            });
        }

        // A meter listener hears every meter of a name in the process; a gateway exports only its own (tests and
        // embedders run several in one process). The runtime's meters have no scope and stay.
        services.ConfigureOpenTelemetryMeterProvider((provider, meters) =>
        {
            var own = provider.GetRequiredService<IMeterFactory>();
            meters.AddView(instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, own) ? null : MetricStreamConfiguration.Drop);
        });

        // Sources and sampler apply to any tracer built: the OTLP one below, or one a test adds with its own exporter.
        // The sampler is made when a tracer is built, after the settings were validated.
        services.ConfigureOpenTelemetryTracerProvider((provider, traces) => traces
            .AddSource(GatewayTracing.SourceName)
            .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(provider.GetRequiredService<TracingOptions>().SampleRatio))));
        if (HasOtlpEndpoint(configuration, "TRACES"))
        {
            otel.WithTracing(traces => traces.AddOtlpExporter());
        }
    }

    /// <summary>Serves <c>/metrics</c> where <see cref="MetricsOptions"/> says, and keeps the metrics port to it alone.</summary>
    public static void MapTelemetry(this WebApplication app, MetricsOptions metrics)
    {
        if (!metrics.Enabled)
        {
            return;
        }

        // Instruments observed at scrape time exist from the start, not from the first request that needs them.
        app.Services.GetRequiredService<UpstreamMetrics>();
        app.Services.GetRequiredService<LedgerMetrics>();
        if (metrics.Url is not { Port: var port })
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(MetricsOptions.Path);
            return;
        }

        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Connection.LocalPort == port && context.Request.Path == MetricsOptions.Path);
        app.Use((context, next) => context.Connection.LocalPort == port
            ? Results.NotFound().ExecuteAsync(context)
            : next(context));
    }

    private static bool HasOtlpEndpoint(ConfigurationManager configuration, string signal) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || !string.IsNullOrWhiteSpace(configuration[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]);
}
