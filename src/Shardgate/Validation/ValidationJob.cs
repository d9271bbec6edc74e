using Shardgate.Contract;
using Shardgate.Contract.Response;

namespace Shardgate.Validation;

/// <summary>A completed sampled request, to replay on another host: the body its host got, and what its host answered.</summary>
internal sealed record ValidationJob(string RequestId, string Model, ContractFamily Family, string NodeId, long AccountId, byte[] Body, IReadOnlyList<TokenLogprob> Tokens, int PromptTokens);
