using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Contract.Response;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Network.Validation;
using Shardgate.Observability;
using Shardgate.Routing;
using Shardgate.Upstream;

namespace Shardgate.Validation;

/// <summary>
/// Replays sampled requests on another host of the same model, off the request path: a bounded queue (a sample
/// that finds it full is dropped, never waited for), one replay at a time. Each replay is charged to the broker's
/// account (<see cref="ValidationOptions.AccountId"/>) and logged with endpoint <c>validation</c>; its verdict goes to
/// <see cref="HostSuspicion"/>. A validator that refuses the payload (400/422) or fails does not count against the
/// host that answered, as the network judges it (reference §5.7). A divergence is replayed once more on a third host:
/// if that one agrees, the first validator is the one that diverged; with no third host the sample is inconclusive.
/// </summary>
internal sealed class HostValidator(
    ValidationOptions options,
    HostRegistry registry,
    HealthTracker health,
    HostSuspicion suspicion,
    IAccountStore accounts,
    BalanceLedger ledger,
    PriceBook prices,
    RequestLogWriter log,
    ValidationMetrics metrics,
    TimeProvider time,
    ILogger<HostValidator> logger) : BackgroundService
{
    private const int RecentKept = 100;
    private readonly Channel<ValidationJob> _queue = Channel.CreateBounded<ValidationJob>(new BoundedChannelOptions(32) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) }) { Timeout = options.ReplayTimeout };
    private readonly ConcurrentQueue<ValidationSample> _recent = new();

    /// <summary>The latest replays, newest last.</summary>
    public IReadOnlyList<ValidationSample> Recent => [.. _recent];

    /// <summary>Queues a replay; never waits.</summary>
    public void Submit(ValidationJob job)
    {
        if (!_queue.Writer.TryWrite(job))
        {
            metrics.Skipped("queue_full");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Enabled && options.AccountId is null)
        {
            GatewayLog.ValidationOff(logger);
        }

        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await ReplayAsync(job, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    GatewayLog.ValidationFailed(logger, ex, job.RequestId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private async Task ReplayAsync(ValidationJob job, CancellationToken cancellationToken)
    {
        if (await accounts.GetAccountAsync(job.AccountId, cancellationToken) is not { ValidationSampling: true })
        {
            metrics.Skipped("account_opted_out");
            return;
        }

        var threshold = options.ThresholdFor(job.Family);
        var first = await ReplayOnAsync(job, [job.NodeId], cancellationToken);
        if (first is not { } replay)
        {
            return;
        }

        var verdict = ReplayComparison.Compare(job.Tokens, replay.Tokens ?? [], threshold, options.MinAgreement);
        if (replay.Tokens is null || !verdict.Divergent)
        {
            Conclude(job, replay, verdict, threshold, replay.Tokens is null ? NotCounted(replay.Status) : "agreed");
            return;
        }

        // One divergence could be either host's: a third host decides, as the network's majority vote does.
        var second = await ReplayOnAsync(job, [job.NodeId, replay.ValidatorId], cancellationToken);
        if (second is not { Tokens: { } tokens } tieBreak)
        {
            Conclude(job, replay, verdict, threshold, "inconclusive");
            return;
        }

        var check = ReplayComparison.Compare(job.Tokens, tokens, threshold, options.MinAgreement);
        if (check.Divergent)
        {
            Conclude(job, tieBreak, check, threshold, "diverged");
        }
        else
        {
            Conclude(job, tieBreak, check, threshold, "agreed");
            Blame(replay.ValidatorId, job.Model, verdict, threshold);
        }
    }

    private static string NotCounted(int status) => status is 400 or 422 ? "not_executable" : "replay_failed";

    private void Conclude(ValidationJob job, Replay replay, ReplayVerdict verdict, double threshold, string outcome)
    {
        Remember(new ValidationSample(replay.At, job.RequestId, job.Model, job.NodeId, replay.ValidatorId, outcome, verdict.Positions, verdict.Agreement, verdict.MeanAbsDiff, threshold, replay.Cost));
        metrics.Sampled(job.Model, job.NodeId, outcome);
        if (outcome == "agreed")
        {
            Track(job.NodeId, job.Model, false, verdict, threshold);
        }
        else if (outcome == "diverged")
        {
            Blame(job.NodeId, job.Model, verdict, threshold);
        }
    }

    private void Blame(string nodeId, string model, ReplayVerdict verdict, double threshold) => Track(nodeId, model, true, verdict, threshold);

    private void Track(string nodeId, string model, bool divergent, ReplayVerdict verdict, double threshold)
    {
        switch (suspicion.Record(nodeId, divergent))
        {
            case true:
                GatewayLog.HostSuspect(logger, nodeId, model, options.Divergent, options.Window, verdict.MeanAbsDiff, verdict.Agreement, threshold);
                break;
            case false:
                GatewayLog.HostNoLongerSuspect(logger, nodeId);
                break;
        }
    }

    /// <summary>One replay on a host not in <paramref name="exclude"/>, charged and logged; null when none could be made.</summary>
    private async Task<Replay?> ReplayOnAsync(ValidationJob job, string[] exclude, CancellationToken cancellationToken)
    {
        if (PickValidator(job.Model, exclude) is not { } validator)
        {
            metrics.Skipped("no_other_host");
            return null;
        }

        try
        {
            var price = prices.For(job.Model);
            var reserved = await ledger.ReserveAsync(options.AccountId!.Value, price.Cost(job.PromptTokens, job.Tokens.Count + 1), cancellationToken);
            if (reserved.Reservation is not { } reservation)
            {
                metrics.Skipped("broker_account_unfunded");
                return null;
            }

            var started = time.GetUtcNow();
            var startedAt = time.GetTimestamp();
            var (status, tokens, usage, error) = await SendAsync(validator, ReplayBody.Build(job.Body, job.Tokens), cancellationToken);
            var settlement = ledger.Settle(reservation, usage is { } u ? price.Cost(u.PromptTokens, u.CompletionTokens) : 0);
            await log.EnqueueAsync(new RequestLogEntry
            {
                RequestId = RequestIds.New(started),
                StartedAt = started,
                AccountId = options.AccountId,
                Model = job.Model,
                NodeId = validator.NodeId,
                Status = status,
                Outcome = status == 200 ? RequestOutcome.Completed : RequestOutcome.UpstreamFailed,
                PromptTokens = usage?.PromptTokens,
                CompletionTokens = usage?.CompletionTokens,
                DurationMs = time.GetElapsedTime(startedAt).TotalMilliseconds,
                Attempts = 1,
                Endpoint = "validation",
                Error = error,
                Reserved = reservation.Amount,
                Cost = settlement.Charged,
                Shortfall = settlement.Shortfall,
            });
            metrics.Charged(job.Model, settlement.Charged);
            return new Replay(validator.NodeId, status, tokens, settlement.Charged, started);
        }
        finally
        {
            validator.Release();
        }
    }

    private void Remember(ValidationSample sample)
    {
        _recent.Enqueue(sample);
        while (_recent.Count > RecentKept && _recent.TryDequeue(out _))
        {
        }
    }

    // Another host of the model: a healthy, unsuspected one when there is one, chosen at random so no pair of
    // hosts always judges each other.
    private UpstreamHost? PickValidator(string model, string[] exclude)
    {
        if (!registry.TryGetShard(model, out var shard))
        {
            return null;
        }

        var others = shard.Hosts.Where(h => !exclude.Contains(h.NodeId)).OrderBy(_ => Random.Shared.Next()).ToArray();
        foreach (var host in others.Where(h => health.IsAvailable(h.NodeId, out _) && !suspicion.IsSuspect(h.NodeId)).Concat(others))
        {
            if (host.TryAcquire())
            {
                return host;
            }
        }

        return null;
    }

    private async Task<(int Status, List<TokenLogprob>? Replay, Usage? Usage, string? Error)> SendAsync(UpstreamHost validator, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(validator.ChatCompletionsUri, content, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return ((int)response.StatusCode, null, null, "validation replay refused: " + HostErrorReader.Extract(bytes));
            }

            using var document = JsonDocument.Parse(bytes);
            return (200, ReplayBody.ReadTokens(document.RootElement), UsageScanner.TryRead(bytes, out var usage, out _) ? usage : null, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (502, null, null, "validation replay failed: " + ex.Message);
        }
    }

    private readonly record struct Replay(string ValidatorId, int Status, List<TokenLogprob>? Tokens, long Cost, DateTimeOffset At);

}
