using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shardgate.Simulator.Faults;
using Shardgate.Simulator.Generation;
using Shardgate.Simulator.Requests;

namespace Shardgate.Simulator.Endpoints;

/// <summary><c>POST /v1/chat/completions</c> of the simulated host: checks like vLLM, then paced generation.</summary>
internal sealed class ChatCompletionsEndpoint(SimulatedHostState state, TimeProvider time)
{
    private const int MaxBodyBytes = 64 * 1024 * 1024;
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    private SimulatedHostOptions Options => state.Options;

    // vLLM reads X-Request-Id as the request's id, and an OpenTelemetry-enabled vLLM continues traceparent.
    private static readonly string[] CorrelationHeaderNames = ["traceparent", "tracestate", "x-request-id"];

    private static Dictionary<string, string> CorrelationHeaders(IHeaderDictionary headers)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in CorrelationHeaderNames)
        {
            if (headers.TryGetValue(name, out var value))
            {
                found[name] = value.ToString();
            }
        }

        return found;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            await VllmErrors.WriteAsync(context, 413, "BadRequestError", "Request body too large");
            return;
        }

        state.LastRequestBody = body.Value.ToArray();
        state.LastRequestHeaders = CorrelationHeaders(context.Request.Headers);
        SimChatRequest request;
        try
        {
            request = SimChatRequestParser.Parse(body.Value);
        }
        catch (SimRequestError ex)
        {
            await VllmErrors.WriteAsync(context, 400, "BadRequestError", ex.Message);
            return;
        }

        if (!TryResolveFault(context, request, out var fault, out var faultError))
        {
            await VllmErrors.WriteAsync(context, 400, "BadRequestError", faultError!);
            return;
        }

        if (fault.Status is { } status)
        {
            await VllmErrors.WriteAsync(context, status, VllmErrors.TypeFor(status), $"Simulated fault: HTTP {status.ToString(CultureInfo.InvariantCulture)}");
            return;
        }

        if (!string.Equals(request.Model, Options.EffectiveModelId, StringComparison.Ordinal))
        {
            await VllmErrors.WriteAsync(context, 404, "NotFoundError", $"The model `{request.Model}` does not exist.", "model");
            return;
        }

        if (ContextLengthError(request) is { } lengthError)
        {
            await VllmErrors.WriteAsync(context, 400, "BadRequestError", lengthError);
            return;
        }

        if (!state.TryEnter())
        {
            await VllmErrors.WriteAsync(context, 429, "TooManyRequestsError", "The server is at its maximum number of concurrent requests; retry later.");
            return;
        }

        try
        {
            state.CountRequest();
            if (fault.HoldUntilReleased)
            {
                // A test's way to order events across hosts without guessing at times.
                await state.Released.WaitAsync(context.RequestAborted);
            }

            request = request with { Logprob = new LogprobModel(fault.WrongModel, state.NoiseSeed, Options.LogprobNoise) };
            var cached = state.PrefixCache.LookupAndRemember(request.PrefixHashes);
            var firstToken = Options.TimeToFirstToken + fault.ExtraFirstTokenDelay + PrefillTime(request.PromptTokens - cached);
            var plans = CompletionPlanner.Plan(request, Options.Family, Options.MaxModelLen);
            var run = new GenerationRun(context, request, plans, cached, firstToken, fault, time.GetUtcNow().ToUnixTimeSeconds());
            if (request.Stream)
            {
                await StreamAsync(run);
            }
            else
            {
                await CompleteAsync(run);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, or a drop/stall fault ended the request; vLLM aborts the sequence too.
            if (context.RequestAborted.IsCancellationRequested && fault.DropAfterChunks is null && fault.StallAfterChunks is null)
            {
                state.CountAborted();
            }
        }
        finally
        {
            state.Exit();
        }
    }

    private bool TryResolveFault(HttpContext context, SimChatRequest request, out FaultPlan fault, out string? error)
    {
        fault = state.Fault;
        foreach (var source in new[] { request.Directives.Fault, context.Request.Headers["x-sim-fault"].ToString() })
        {
            if (!FaultPlanParser.TryParse(source, out var extra, out error))
            {
                return false;
            }

            fault = fault.Overlay(extra);
        }

        error = null;
        return true;
    }

    private string? ContextLengthError(SimChatRequest request)
    {
        var completion = request.MaxTokens ?? 0;
        if (request.PromptTokens + completion <= Options.MaxModelLen && request.PromptTokens < Options.MaxModelLen)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"This model's maximum context length is {Options.MaxModelLen} tokens. However, you requested {request.PromptTokens + completion} tokens ({request.PromptTokens} in the messages, {completion} in the completion). Please reduce the length of the messages or completion.");
    }

    private TimeSpan PrefillTime(int uncachedTokens) =>
        Options.PrefillTokensPerSecond > 0 && uncachedTokens > 0
            ? TimeSpan.FromSeconds(uncachedTokens / Options.PrefillTokensPerSecond)
            : TimeSpan.Zero;

    private async Task StreamAsync(GenerationRun run)
    {
        var response = run.Context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(run.Context.RequestAborted);
        if (run.Fault.EmptyStream)
        {
            await response.BodyWriter.WriteAsync(Done, run.Context.RequestAborted);
            return;
        }

        var pacer = new TokenPacer(time, Options.TokensPerSecond, run.FirstToken);
        await pacer.WaitFirstTokenAsync(run.Context.RequestAborted);
        var completionTokens = 0;
        foreach (var plan in run.Plans)
        {
            await run.EmitAsync(w => CompletionJson.WriteRoleChunk(w, run.Id, run.Created, run.Model, plan.Index, run.Request), this);
            for (var i = 0; i < plan.Deltas.Count; i++)
            {
                var (delta, position) = (plan.Deltas[i], i);
                await pacer.WaitNextTokenAsync(run.Context.RequestAborted);
                await run.EmitAsync(w => CompletionJson.WriteDeltaChunk(w, run.Id, run.Created, run.Model, plan.Index, delta, position, run.Request), this);
            }

            completionTokens += plan.CompletionTokens;
            await run.EmitAsync(w => CompletionJson.WriteFinishChunk(w, run.Id, run.Created, run.Model, plan.Index, plan.FinishReason), this);
        }

        if (run.Request.IncludeUsage)
        {
            await run.EmitAsync(w => CompletionJson.WriteUsageChunk(w, run.Id, run.Created, run.Model, run.Request.PromptTokens, completionTokens, run.CachedTokens), this);
        }

        await response.BodyWriter.WriteAsync(Done, run.Context.RequestAborted);
        if (run.Fault.SlowEnd > TimeSpan.Zero)
        {
            await Task.Delay(run.Fault.SlowEnd, time, run.Context.RequestAborted);
        }
    }

    private async Task CompleteAsync(GenerationRun run)
    {
        var context = run.Context;
        if (run.Fault.DropAfterChunks is not null)
        {
            context.Abort();
            return;
        }

        if (run.Fault.StallAfterChunks is not null)
        {
            await StallAsync(context);
            return;
        }

        var tokens = 0;
        foreach (var plan in run.Plans)
        {
            tokens += plan.CompletionTokens;
        }

        await new TokenPacer(time, Options.TokensPerSecond, run.FirstToken).WaitForTokensAsync(run.Fault.EmptyStream ? 0 : tokens, context.RequestAborted);
        var plans = run.Fault.EmptyStream ? run.Plans.Select(p => p with { Deltas = [] }).ToArray() : run.Plans;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            CompletionJson.WriteCompletion(writer, run.Id, run.Created, run.Model, plans, run.Request, run.CachedTokens);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private async Task StallAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Options.StallLimit, time, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }

        context.Abort();
    }

    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted);
            if (result.Buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(result.Buffer.Start);
                return null;
            }

            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>One request's generation: where chunks go and how many have gone, for the drop and stall faults.</summary>
    private sealed class GenerationRun(HttpContext context, SimChatRequest request, IReadOnlyList<ChoicePlan> plans, int cachedTokens, TimeSpan firstToken, FaultPlan fault, long created)
    {
        private int _chunks;

        public HttpContext Context { get; } = context;
        public SimChatRequest Request { get; } = request;
        public IReadOnlyList<ChoicePlan> Plans { get; } = plans;
        public int CachedTokens { get; } = cachedTokens;
        public TimeSpan FirstToken { get; } = firstToken;
        public FaultPlan Fault { get; } = fault;
        public string Id { get; } = "chatcmpl-" + Guid.NewGuid().ToString("N");
        public long Created { get; } = created;
        public string Model => Request.Model!;

        public async Task EmitAsync(Action<Utf8JsonWriter> write, ChatCompletionsEndpoint owner)
        {
            if (Fault.DropAfterChunks == _chunks)
            {
                Context.Abort();
                throw new OperationCanceledException("simulated drop", Context.RequestAborted);
            }

            if (Fault.StallAfterChunks == _chunks)
            {
                await owner.StallAsync(Context);
                throw new OperationCanceledException("simulated stall", Context.RequestAborted);
            }

            var pipe = Context.Response.BodyWriter;
            pipe.Write(DataPrefix);
            using (var writer = new Utf8JsonWriter((IBufferWriter<byte>)pipe))
            {
                write(writer);
            }

            pipe.Write(EventEnd);
            _chunks++;
            await pipe.FlushAsync(Context.RequestAborted);
        }
    }
}
