using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Shardgate.Observability;

namespace Shardgate.Contract.Tokens;

/// <summary>
/// The gateway's prompt token counts. A request is counted once with the default tokenizer (o200k_base), and that
/// count, corrected per family (<see cref="TokenCalibration"/>), stands for every model it may go to; a model whose
/// catalog entry names its own tokenizer file is counted with that file instead. The default tokenizer is loaded at
/// start (a quarter of a second), a model's own on its first request.
/// </summary>
internal sealed class TokenCounter
{
    private readonly TokenCalibration _calibration;
    private readonly ILogger<TokenCounter> _logger;
    private readonly MessageCountCache _cache;
    private readonly ConcurrentDictionary<string, Lazy<PromptCounter?>> _files = new(StringComparer.Ordinal);
    private readonly Lazy<PromptCounter> _default;

    public TokenCounter(TokenCountOptions options, TokenCalibration calibration, ILogger<TokenCounter> logger)
    {
        _calibration = calibration;
        _logger = logger;
        _cache = new MessageCountCache(options);
        _default = new Lazy<PromptCounter>(() => new PromptCounter(TokenizerFiles.Default(), _cache, 0));
    }

    /// <summary>Loads the default tokenizer now, so the first request does not wait for it.</summary>
    public void Warm() => _ = _default.Value;

    /// <summary>The default tokenizer's count of a chat request (its <c>messages</c> and <c>tools</c>).</summary>
    public int CountDefault(JsonElement messages, JsonElement? tools) => _default.Value.Count(messages, tools);

    /// <summary>
    /// The prompt's tokens for one model: its own tokenizer's count when the catalog gives a file (and it loads), else
    /// <paramref name="defaultCount"/> corrected for the family. <paramref name="key"/> names the calibration the
    /// model's usage teaches.
    /// </summary>
    public PromptTokens ForModel(string modelId, ContractFamily family, string? tokenizerFile, int defaultCount, JsonElement messages, JsonElement? tools, out string key)
    {
        if (tokenizerFile is not null && Own(tokenizerFile) is { } own)
        {
            key = modelId;
            return _calibration.Correct(key, own.Count(messages, tools));
        }

        key = family.ToString().ToLowerInvariant();
        return _calibration.Correct(key, defaultCount);
    }

    private PromptCounter? Own(string path) => _files.GetOrAdd(path, p => new Lazy<PromptCounter?>(() => Load(p))).Value;

    private PromptCounter? Load(string path)
    {
        try
        {
            var counter = new PromptCounter(TokenizerFiles.Load(path), _cache, (ulong)StringComparer.Ordinal.GetHashCode(path) | 1);
            GatewayLog.TokenizerLoaded(_logger, path);
            return counter;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or UnauthorizedAccessException or ArgumentException or FormatException or InvalidOperationException)
        {
            GatewayLog.TokenizerFailed(_logger, path, ex.Message);
            return null;
        }
    }
}
