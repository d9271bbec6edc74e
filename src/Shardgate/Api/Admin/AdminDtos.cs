namespace Shardgate.Api.Admin;

// Wire shapes of the admin API. Grouped in one file because each is a one-line record of the same kind.

internal sealed record CreateAccountRequest(string? Name, bool? ValidationSampling = null);

internal sealed record UpdateAccountRequest(bool? ValidationSampling);

internal sealed record AccountResponse(long Id, string Name, DateTimeOffset CreatedAt, long Balance, long Reserved, long Available, long Leased, bool ValidationSampling);

internal sealed record AmountRequest(long? Amount);

internal sealed record PriceRequest(string? Model, long? InputPerToken, long? OutputPerToken);

internal sealed record PriceResponse(string Model, long InputPerToken, long OutputPerToken);

internal sealed record KeyCreatedResponse(long Id, long AccountId, string Key, string Prefix, DateTimeOffset CreatedAt, Shardgate.Ledger.KeyLimits Limits);

internal sealed record KeyResponse(long Id, long AccountId, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, Shardgate.Ledger.KeyLimits Limits);

internal sealed record CreateKeyRequest(Shardgate.Ledger.KeyLimits? Limits);

internal sealed record NodeToggleResponse(string Message, string NodeId, bool Enabled);

/// <summary>A host as routing sees it; <c>EffectiveWeight</c> is the network's weight for the node when it reports one.</summary>
internal sealed record NodeStateResponse(string Id, bool Enabled, int InFlight, int MaxConcurrent, double Weight, double EffectiveWeight, string BaseUrl, HostHealthResponse Health, IReadOnlyList<string> Models, IReadOnlyList<Shardgate.Routing.HostFailure> RecentFailures, string Source, bool Suspect);

internal sealed record ParticipantResponse(string Address, long? Epoch, string State, IReadOnlyList<Shardgate.Network.Discovery.DiscoveredModel> Models, long? PocWeight, long? Collateral, long? ActiveWeight, long? CoinsOwed, long? Balance, IReadOnlyList<Shardgate.Network.Economics.HostEpochStats> Epochs);

internal sealed record OperatorKeyResponse(string Participant, string Key, string Prefix);

internal sealed record ValidationResponse(bool Active, long? AccountId, double Fraction, int Window, int Divergent, IReadOnlyList<Shardgate.Network.Validation.HostValidationState> Hosts, IReadOnlyList<Shardgate.Validation.ValidationSample> Recent);

/// <summary>The network's phase; <c>InferenceBackInSeconds</c> is how long a PoC phase is expected to last from now.</summary>
internal sealed record NetworkPhaseResponse(string Phase, bool PocActive, int PreservedNodes, double? InferenceBackInSeconds);

internal sealed record HostHealthResponse(string Status, DateTimeOffset? Until, int Strikes, int Successes, string? Reason);

internal sealed record DashboardLoginRequest(string? AdminKey);

/// <summary>
/// Whether the browser is signed in; if so, the CSRF token to send with every action and when the session ends.
/// Not signed in is a 200 too: the page asks before it knows, and a 401 would be a console error in every browser.
/// </summary>
internal sealed record DashboardSessionResponse(bool SignedIn, string? Csrf, DateTimeOffset? ExpiresAt);

/// <summary>A catalog version; the model and alias counts only for the one in force.</summary>
internal sealed record CatalogVersionResponse(long Version, string Author, DateTimeOffset CreatedAt, string Document, int? Models, int? Aliases);

internal sealed record CatalogHistoryEntry(long Version, string Author, DateTimeOffset CreatedAt);

internal sealed record CatalogRollbackRequest(long? Version);
