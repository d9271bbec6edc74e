using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Observability;

/// <summary>
/// Spans through the OpenTelemetry in-memory exporter. One class on purpose: the gateway's ActivitySource is
/// process-wide, so a second tracer alive in parallel (another test's exporter, or the OTLP one) would sample this
/// class's requests too; other classes' spans that reach this exporter are told apart by trace id.
/// </summary>
public sealed class TracingEndToEndTests
{
    private const string Qwen = ModelFamilies.QwenModelId;
    private const string CallerTraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string CallerSpanId = "b7ad6b7169203331";
    private static readonly SimulatedHostOptions QwenHost = new() { Family = ModelFamily.Qwen };

    [Fact]
    public async Task A_hedged_request_is_one_trace_continued_from_the_caller_with_each_stage_and_both_attempts_and_the_hosts_get_it()
    {
        var spans = new SpanList();
        await using var harness = await StartTracedAsync(spans, "--Shardgate:Hedging:MaxDelay", "00:00:00.200");
        // The first choice never answers: the hedge on the other host wins, with no race to lose on a busy machine.
        var slow = await harness.AddHostAsync("slow", QwenHost with { Fault = "hold" }, weight: 10);
        var fast = await harness.AddHostAsync("fast", QwenHost);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await SendAsync(client, ChatBodies.Simple(Qwen, "hedge me [[sim:tokens=8]]", stream: true), $"00-{CallerTraceId}-{CallerSpanId}-01", "client-req-42");
        Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        Assert.Equal("client-req-42", response.Headers.GetValues("X-Client-Request-Id").Single());

        var root = await spans.WaitForAsync(s => Tag(s, "shardgate.request_id") == requestId);
        Assert.Equal(CallerTraceId, root.TraceId.ToHexString());
        Assert.Equal(CallerSpanId, root.ParentSpanId.ToHexString());
        Assert.Equal(ActivityKind.Server, root.Kind);
        Assert.Equal("chat " + Qwen, root.DisplayName);
        Assert.Equal(Qwen, Tag(root, "gen_ai.request.model"));
        Assert.Equal(Qwen, Tag(root, "gen_ai.response.model"));
        Assert.Equal(8, root.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.True(root.GetTagItem("gen_ai.usage.input_tokens") is int input && input > 0);
        Assert.Equal(["stop"], (string[])root.GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal("client-req-42", Tag(root, "shardgate.client_request_id"));
        Assert.Null(root.GetTagItem("shardgate.upstream.request_body"));

        var children = spans.Snapshot().Where(s => s.TraceId == root.TraceId && s.ParentSpanId == root.SpanId).ToList();
        Assert.Single(children, s => s.DisplayName == "contract");
        Assert.Single(children, s => s.DisplayName == "admission");
        Assert.Single(children, s => s.DisplayName == "settle");
        var routes = children.Where(s => s.DisplayName == "route").ToList();
        Assert.Equal(2, routes.Count);
        var hedgeRoute = Assert.Single(routes, r => Tag(r, "shardgate.route.purpose") == "hedge");
        Assert.Equal("fast", Tag(hedgeRoute, "shardgate.node.id"));
        var skipped = Assert.Single(hedgeRoute.Events, e => e.Name == "host_skipped");
        Assert.Equal("slow", skipped.Tags.Single(t => t.Key == "shardgate.node.id").Value);
        Assert.Equal("tried", skipped.Tags.Single(t => t.Key == "shardgate.skip.reason").Value);

        var first = Assert.Single(children, s => s.DisplayName == "attempt slow");
        var hedge = Assert.Single(children, s => s.DisplayName == "attempt fast");
        Assert.Equal(ActivityKind.Client, hedge.Kind);
        Assert.Equal(false, first.GetTagItem("shardgate.hedge"));
        Assert.Equal(true, hedge.GetTagItem("shardgate.hedge"));
        Assert.Equal(true, hedge.GetTagItem("shardgate.winner"));
        Assert.Null(first.GetTagItem("shardgate.winner"));
        Assert.Equal("LostRace", Tag(first, "shardgate.attempt.start"));
        Assert.Equal("hedge", Tag(root, "shardgate.hedge.winner"));

        // Each host was called under its own attempt's span, in the caller's trace, with the caller's request id.
        Assert.Equal($"00-{CallerTraceId}-{hedge.SpanId.ToHexString()}-01", fast.LastRequestHeaders["traceparent"]);
        Assert.Equal($"00-{CallerTraceId}-{first.SpanId.ToHexString()}-01", slow.LastRequestHeaders["traceparent"]);
        Assert.Equal("client-req-42", fast.LastRequestHeaders["x-request-id"]);
    }

    [Fact]
    public async Task An_untraced_request_passes_the_callers_context_on_unchanged_and_an_unsafe_request_id_is_not_kept()
    {
        var spans = new SpanList();
        await using var harness = await StartTracedAsync(spans, "--Shardgate:Tracing:SampleRatio", "0");
        var host = await harness.AddHostAsync("qwen-1", QwenHost);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        // The caller decided not to sample (flags 00): the parent-based sampler follows it.
        var unsampled = $"00-{CallerTraceId}-{CallerSpanId}-00";
        using (var response = await SendAsync(client, ChatBodies.Simple(Qwen), unsampled, "has spaces in it"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("X-Client-Request-Id"));
            Assert.Equal(unsampled, host.LastRequestHeaders["traceparent"]);
            Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), host.LastRequestHeaders["x-request-id"]);
        }

        // A new trace at ratio 0 is not sampled: the host gets no trace context at all.
        using (var response = await SendAsync(client, ChatBodies.Simple(Qwen), null, new string('a', 129)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(host.LastRequestHeaders.ContainsKey("traceparent"));
            Assert.False(response.Headers.Contains("X-Client-Request-Id"));
        }
    }

    [Fact]
    public async Task The_prompt_reaches_a_span_only_when_an_operator_turns_content_recording_on()
    {
        var spans = new SpanList();
        await using var harness = await StartTracedAsync(spans, "--Shardgate:Tracing:RecordContent", "true");
        await harness.AddHostAsync("qwen-1", QwenHost);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await SendAsync(client, ChatBodies.Simple(Qwen, "a secret prompt"), null, null);
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        var root = await spans.WaitForAsync(s => Tag(s, "shardgate.request_id") == requestId);

        Assert.Contains("a secret prompt", Tag(root, "shardgate.upstream.request_body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_standard_otlp_settings_export_the_gateways_metrics_and_spans_to_a_collector()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        // The OpenTelemetry SDK reads its OTEL_* settings from configuration, so they can be given as arguments here.
        await using var harness = await GatewayHarness.StartAsync(
            true,
            "--OTEL_EXPORTER_OTLP_ENDPOINT", collector.Url,
            "--OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
            "--OTEL_METRIC_EXPORT_INTERVAL", "200",
            "--OTEL_BSP_SCHEDULE_DELAY", "200",
            "--Shardgate:Tracing:SampleRatio", "1");
        await harness.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(ModelFamilies.QwenModelId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.True(await collector.WaitForAsync("/v1/metrics"), "no OTLP metrics export arrived");
        Assert.True(await collector.WaitForAsync("/v1/traces"), "no OTLP trace export arrived");
    }

    private static Task<GatewayHarness> StartTracedAsync(SpanList spans, params string[] args) =>
        GatewayHarness.StartAsync(
            Backend.Sqlite,
            services => services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans)),
            ["--Shardgate:Tracing:SampleRatio", "1", .. args]);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, object body, string? traceParent, string? requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        if (requestId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-Id", requestId);
        }

        return await client.SendAsync(request);
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name) as string;
}
