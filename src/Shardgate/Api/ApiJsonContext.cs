using System.Text.Json.Serialization;
using Shardgate.Api.Admin;
using Shardgate.Contract.Tokens;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Storage;

namespace Shardgate.Api;

/// <summary>Source-generated JSON for every type the API and storage serialize: no reflection at run time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(IReadOnlyList<TokenCalibrationView>))]
[JsonSerializable(typeof(NodeSpec))]
[JsonSerializable(typeof(IReadOnlyList<NodeSpec>))]
[JsonSerializable(typeof(IReadOnlyList<NodeStateResponse>))]
[JsonSerializable(typeof(HostHealthResponse))]
[JsonSerializable(typeof(ValidationResponse))]
[JsonSerializable(typeof(RootResponse))]
[JsonSerializable(typeof(ParticipantResponse))]
[JsonSerializable(typeof(IReadOnlyList<ParticipantResponse>))]
[JsonSerializable(typeof(OperatorKeyResponse))]
[JsonSerializable(typeof(IReadOnlyList<Shardgate.Network.Discovery.DiscoveredHost>))]
[JsonSerializable(typeof(NetworkPhaseResponse))]
[JsonSerializable(typeof(CreateAccountRequest))]
[JsonSerializable(typeof(UpdateAccountRequest))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(IReadOnlyList<AccountResponse>))]
[JsonSerializable(typeof(KeyCreatedResponse))]
[JsonSerializable(typeof(IReadOnlyList<KeyResponse>))]
[JsonSerializable(typeof(NodeToggleResponse))]
[JsonSerializable(typeof(RequestLogEntry))]
[JsonSerializable(typeof(RequestLogPage))]
[JsonSerializable(typeof(RequestLogWriterStatus))]
[JsonSerializable(typeof(RuntimeStatus))]
[JsonSerializable(typeof(ModelListResponse))]
[JsonSerializable(typeof(AmountRequest))]
[JsonSerializable(typeof(PriceRequest))]
[JsonSerializable(typeof(PriceResponse))]
[JsonSerializable(typeof(IReadOnlyList<PriceResponse>))]
[JsonSerializable(typeof(UsageResponse))]
[JsonSerializable(typeof(UsageRollup))]
[JsonSerializable(typeof(Shardgate.Ledger.KeyLimits))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(SpendResponse))]
[JsonSerializable(typeof(DashboardLoginRequest))]
[JsonSerializable(typeof(CatalogVersionResponse))]
[JsonSerializable(typeof(IReadOnlyList<CatalogHistoryEntry>))]
[JsonSerializable(typeof(CatalogRollbackRequest))]
[JsonSerializable(typeof(DashboardSessionResponse))]
[JsonSerializable(typeof(IReadOnlyList<AdminModelResponse>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
