using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Shardgate.Observability;

/// <summary>
/// The request-level metrics, on one meter: the OpenTelemetry GenAI conventions' token usage and server timings, and
/// Shardgate's own request, overhead and per-model counters. Every model tag is a registered model id or
/// <c>unknown</c>, never a client's string; every other tag comes from a fixed vocabulary. Tags travel in a
/// <see cref="TagList"/> (a struct), so recording allocates nothing.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Shardgate.Gateway";

    private const string Chat = "chat";

    // The network the hosts belong to, as the conventions' provider; the gateway serves no other.
    private const string Provider = "gonka";

    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _timePerOutputToken;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _overhead;
    private readonly Counter<long> _saturated;
    private readonly Counter<long> _contextRefusals;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _aliasRequests;
    private readonly Histogram<double> _aliasFirstToken;
    private readonly Counter<long> _aliasTokens;
    private readonly Counter<long> _aliasCost;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _tokens = meter.CreateHistogram("gen_ai.client.token.usage", "{token}", "Tokens per request, by type (input, output) and model.", advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = LatencyBuckets.Tokens });
        _duration = meter.CreateHistogram("gen_ai.server.request.duration", "s", "Time from the request's arrival to its last byte.", advice: Seconds(LatencyBuckets.Request));
        _timeToFirstToken = meter.CreateHistogram("gen_ai.server.time_to_first_token", "s", "Time from the request's arrival to the first byte of the host's output.", advice: Seconds(LatencyBuckets.FirstToken));
        _timePerOutputToken = meter.CreateHistogram("gen_ai.server.time_per_output_token", "s", "Streamed output tokens after the first: the time between tokens.", advice: Seconds(LatencyBuckets.PerOutputToken));
        _requests = meter.CreateCounter<long>("shardgate.requests", "{request}", "Chat requests by model, status class and outcome.");
        _overhead = meter.CreateHistogram("shardgate.gateway.overhead", "s", "The gateway's own time before the response headers, host time excluded (X-Shardgate-Overhead-Ms).", advice: Seconds(LatencyBuckets.Overhead));
        _saturated = meter.CreateCounter<long>("shardgate.model.saturated", "{request}", "Requests a model refused with 429 model_saturated (each model tried counts).");
        _contextRefusals = meter.CreateCounter<long>("shardgate.model.context_refusals", "{request}", "Requests refused because no host of the model holds their context.");
        _fallbacks = meter.CreateCounter<long>("shardgate.model.fallbacks", "{request}", "Requests that moved from a model that could not serve to the next in their fallback chain.");
        _aliasRequests = meter.CreateCounter<long>("shardgate.alias.requests", "{request}", "Requests that named a catalog alias, by alias, the model (arm) that served them and outcome: a rollout's arms side by side.");
        _aliasFirstToken = meter.CreateHistogram("shardgate.alias.time_to_first_token", "s", "First-token time of requests that named a catalog alias, by alias and arm.", advice: Seconds(LatencyBuckets.FirstToken));
        _aliasTokens = meter.CreateCounter<long>("shardgate.alias.tokens", "{token}", "Tokens of requests that named a catalog alias, by alias, arm and type (input, output).");
        _aliasCost = meter.CreateCounter<long>("shardgate.alias.cost", "ngonka", "ngonka charged for requests that named a catalog alias, by alias and arm.");
    }

    public void RecordRequest(in RequestMeasurement request)
    {
        var model = new KeyValuePair<string, object?>("gen_ai.request.model", request.Model);
        var operation = new KeyValuePair<string, object?>("gen_ai.operation.name", Chat);
        var provider = new KeyValuePair<string, object?>("gen_ai.provider.name", Provider);
        _requests.Add(1, new TagList { { "model", request.Model }, { "status_class", StatusClass(request.Status) }, { "outcome", request.Outcome } });

        var duration = new TagList { operation, provider, model };
        if (!request.Served)
        {
            duration.Add("error.type", request.Outcome);
        }

        _duration.Record(request.DurationSeconds, duration);
        if (request.InputTokens is { } input)
        {
            _tokens.Record(input, new TagList { operation, provider, model, { "gen_ai.token.type", "input" } });
        }

        if (request.OutputTokens is { } output)
        {
            _tokens.Record(output, new TagList { operation, provider, model, { "gen_ai.token.type", "output" } });
        }

        if (request.Alias is { } alias)
        {
            RecordAlias(request, alias);
        }

        if (request.TimeToFirstTokenSeconds is { } ttft)
        {
            _timeToFirstToken.Record(ttft, new TagList { operation, provider, model });
            if (request.Stream && request.Served && request.OutputTokens is > 1 and var tokens)
            {
                _timePerOutputToken.Record((request.DurationSeconds - ttft) / (tokens - 1), new TagList { operation, provider, model });
            }
        }
    }

    public void RecordOverhead(double seconds) => _overhead.Record(seconds);

    private void RecordAlias(in RequestMeasurement request, string alias)
    {
        var arm = new TagList { { "alias", alias }, { "arm", request.Model } };
        _aliasRequests.Add(1, new TagList { { "alias", alias }, { "arm", request.Model }, { "outcome", request.Outcome } });
        if (request.TimeToFirstTokenSeconds is { } ttft)
        {
            _aliasFirstToken.Record(ttft, arm);
        }

        if (request.InputTokens is { } input)
        {
            _aliasTokens.Add(input, new TagList { { "alias", alias }, { "arm", request.Model }, { "type", "input" } });
        }

        if (request.OutputTokens is { } output)
        {
            _aliasTokens.Add(output, new TagList { { "alias", alias }, { "arm", request.Model }, { "type", "output" } });
        }

        if (request.Cost is { } cost)
        {
            _aliasCost.Add(cost, arm);
        }
    }

    /// <summary>A model that could not serve the request, by the refusal's error code.</summary>
    public void ModelRefused(string model, string errorCode)
    {
        if (errorCode == Kernel.ErrorCodes.ModelSaturated)
        {
            _saturated.Add(1, new KeyValuePair<string, object?>("model", model));
        }
        else if (errorCode == Kernel.ErrorCodes.ContextLengthExceeded)
        {
            _contextRefusals.Add(1, new KeyValuePair<string, object?>("model", model));
        }
    }

    /// <summary>A request left <paramref name="model"/>, which could not serve it, for the next model of its chain.</summary>
    public void FallbackTaken(string model) => _fallbacks.Add(1, new KeyValuePair<string, object?>("model", model));

    private static string StatusClass(int status) => status switch
    {
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };

    private static InstrumentAdvice<double> Seconds(IReadOnlyList<double> boundaries) => new() { HistogramBucketBoundaries = boundaries };
}
