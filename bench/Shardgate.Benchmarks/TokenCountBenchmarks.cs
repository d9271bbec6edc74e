using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Shardgate.Contract.Tokens;

namespace Shardgate.Benchmarks;

/// <summary>
/// Counting a prompt with the default tokenizer (o200k_base), as a request does once: one user message of
/// <see cref="Bytes"/> bytes of English and code from the repository's docs and sources. <c>New</c> is a message the
/// gateway has not seen; <c>Repeated</c> one it has (an agent's resent history, read from the message cache).
/// </summary>
[MemoryDiagnoser]
public class TokenCountBenchmarks
{
    private PromptCounter _fresh = null!;
    private PromptCounter _cached = null!;
    private JsonDocument[] _new = [];
    private JsonDocument _repeated = null!;
    private JsonDocument _run = null!;
    private int _next;

    [Params(1024, 4096, 16384, 65536)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var tokenizer = TokenizerFiles.Default();
        _fresh = new PromptCounter(tokenizer, new MessageCountCache(new TokenCountOptions { CachedMessages = 0 }), 0);
        _cached = new PromptCounter(tokenizer, new MessageCountCache(new TokenCountOptions()), 0);
        var corpus = TokenCorpus.Load();
        _new = [.. Enumerable.Range(0, Math.Max(1, (corpus.Length / Bytes) - 1)).Take(64).Select(i => Message(corpus.Substring(i * Bytes, Bytes)))];
        _repeated = _new[0];
        _run = Message(new string('x', Bytes));
        _cached.Count(_repeated.RootElement, null);
    }

    [Benchmark]
    public int New() => _fresh.Count(_new[_next++ % _new.Length].RootElement, null);

    [Benchmark]
    public int Repeated() => _cached.Count(_repeated.RootElement, null);

    /// <summary>The denial-of-service shape: one letter repeated, no space, which BPE merges superlinearly unsliced.</summary>
    [Benchmark]
    public int OneLetterRun() => _fresh.Count(_run.RootElement, null);

    private static JsonDocument Message(string text) =>
        JsonDocument.Parse(JsonSerializer.Serialize(new[] { new { role = "user", content = text } }));
}
