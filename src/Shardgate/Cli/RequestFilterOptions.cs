using System.CommandLine;
using System.Globalization;

namespace Shardgate.Cli;

/// <summary>The request-log filters <c>requests list</c> and <c>requests tail</c> share, as the admin API's query.</summary>
internal sealed class RequestFilterOptions
{
    private readonly Option<long?> _key = new("--key") { Description = "Only this key's requests" };
    private readonly Option<long?> _account = new("--account") { Description = "Only this account's requests" };
    private readonly Option<string?> _model = new("--model") { Description = "Only this model's requests" };
    private readonly Option<string?> _node = new("--node") { Description = "Only requests this node served" };
    private readonly Option<string?> _endpoint = new("--endpoint") { Description = "Only requests to this API path (/v1/chat/completions, /v1/messages, /v1/responses)" };
    private readonly Option<int?> _status = new("--status") { Description = "Only this HTTP status" };
    private readonly Option<string?> _since = new("--since") { Description = "Only requests started this long ago or later (30m, 24h)" };

    public void AddTo(Command command)
    {
        command.Add(_key);
        command.Add(_account);
        command.Add(_model);
        command.Add(_node);
        command.Add(_endpoint);
        command.Add(_status);
        command.Add(_since);
    }

    public string Query(ParseResult parse)
    {
        var query = new List<string>();
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                query.Add($"{name}={Uri.EscapeDataString(Convert.ToString(value, CultureInfo.InvariantCulture)!)}");
            }
        }

        Add("key_id", parse.GetValue(_key));
        Add("account_id", parse.GetValue(_account));
        Add("model", parse.GetValue(_model));
        Add("node_id", parse.GetValue(_node));
        Add("endpoint", parse.GetValue(_endpoint));
        Add("status", parse.GetValue(_status));
        Add("from", parse.GetValue(_since) is { } since ? (DateTimeOffset.UtcNow - Since.Parse(since)).ToString("O", CultureInfo.InvariantCulture) : null);
        return string.Join('&', query);
    }
}
