using System.CommandLine;
using System.Text.Json.Nodes;

namespace Shardgate.Cli;

/// <summary>The flags that set a key's limits, shared by <c>keys create</c> and <c>keys limits</c>.</summary>
internal sealed class KeyLimitOptions
{
    private readonly Option<int?> _rpm = new("--rpm") { Description = "Requests per minute" };
    private readonly Option<long?> _tpm = new("--tpm") { Description = "Tokens per minute" };
    private readonly Option<int?> _concurrent = new("--max-concurrent") { Description = "Requests in flight at once" };
    private readonly Option<string[]> _models = new("--models") { Description = "The only models the key may call", AllowMultipleArgumentsPerToken = true };

    public void AddTo(Command command)
    {
        command.Add(_rpm);
        command.Add(_tpm);
        command.Add(_concurrent);
        command.Add(_models);
    }

    public JsonObject Read(ParseResult parse)
    {
        var limits = new JsonObject();
        if (parse.GetValue(_rpm) is { } rpm)
        {
            limits["requests_per_minute"] = rpm;
        }

        if (parse.GetValue(_tpm) is { } tpm)
        {
            limits["tokens_per_minute"] = tpm;
        }

        if (parse.GetValue(_concurrent) is { } concurrent)
        {
            limits["max_concurrent"] = concurrent;
        }

        if (parse.GetValue(_models) is { Length: > 0 } models)
        {
            limits["models"] = new JsonArray([.. models.SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(m => JsonValue.Create(m))]);
        }

        return limits;
    }
}
