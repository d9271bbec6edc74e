namespace Shardgate.Ledger;

/// <summary>One row of the append-only request log: what a request asked for, where it went and what it used.</summary>
internal sealed record RequestLogEntry
{
    public required string RequestId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public long? KeyId { get; init; }
    public long? AccountId { get; init; }
    public string? Model { get; init; }
    public string? NodeId { get; init; }
    public bool Stream { get; init; }
    public required int Status { get; init; }

    /// <summary>See <see cref="RequestOutcome"/>.</summary>
    public required string Outcome { get; init; }

    public int? PromptTokens { get; init; }
    public int? CompletionTokens { get; init; }
    public double? TimeToFirstTokenMs { get; init; }
    public required double DurationMs { get; init; }
    public int Attempts { get; init; }
    public string? Error { get; init; }

    /// <summary>ngonka held for the request before it was forwarded (its worst case).</summary>
    public long? Reserved { get; init; }

    /// <summary>ngonka charged: actual usage at the model's price, never more than the account could cover.</summary>
    public long? Cost { get; init; }

    /// <summary>The catalog alias the client asked for (a rollout's name), when the model was reached through one.</summary>
    public string? Alias { get; init; }

    /// <summary>The API path the request came through: <c>/v1/chat/completions</c>, <c>/v1/messages</c> or <c>/v1/responses</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Null when no hedge was sent; else which attempt answered: <c>hedge</c> or <c>first</c>.</summary>
    public string? Hedge { get; init; }

    /// <summary>Usage the account could not cover (the charge was capped); zero in normal operation.</summary>
    public long? Shortfall { get; init; }
}
