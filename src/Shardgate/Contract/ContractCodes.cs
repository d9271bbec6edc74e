namespace Shardgate.Contract;

/// <summary>
/// One stable code per contract rule. Each is also the rule's anchor in <c>docs/contract.md</c>; never rename one.
/// </summary>
internal static class ContractCodes
{
    public const string InvalidJson = "invalid_json";
    public const string NestingTooDeep = "nesting_too_deep";
    public const string EmptyFieldName = "empty_field_name";
    public const string UnsupportedParameter = "unsupported_parameter";
    public const string PluginsRejected = "plugins_rejected";
    public const string MissingField = "missing_required_field";
    public const string InvalidType = "invalid_type";
    public const string ModelNameTooLong = "model_name_too_long";
    public const string TooManyMessages = "too_many_messages";
    public const string InvalidSeed = "invalid_seed";
    public const string InvalidRepetitionPenalty = "invalid_repetition_penalty";
    public const string InvalidTopP = "invalid_top_p";
    public const string InvalidTopK = "invalid_top_k";
    public const string InvalidLogitBias = "invalid_logit_bias";
    public const string InvalidStop = "invalid_stop";
    public const string InvalidStopTokenIds = "invalid_stop_token_ids";
    public const string InvalidBadWords = "invalid_bad_words";
    public const string InvalidMinTokens = "invalid_min_tokens";
    public const string InvalidReasoningEffort = "invalid_reasoning_effort";
    public const string InvalidEnableThinking = "invalid_enable_thinking";
    public const string InvalidThinking = "invalid_thinking";
    public const string InvalidChatTemplateKwargs = "invalid_chat_template_kwargs";
    public const string InvalidTools = "invalid_tools";
    public const string InvalidToolChoice = "invalid_tool_choice";
    public const string InvalidSchema = "invalid_schema";
    public const string InvalidResponseFormat = "invalid_response_format";
    public const string InvalidStructuredOutputs = "invalid_structured_outputs";
    public const string StructuredOutputsUnsupported = "structured_outputs_unsupported";
    public const string InvalidUser = "invalid_user";
    public const string InvalidMetadata = "invalid_metadata";
    public const string InvalidStreamOptions = "invalid_stream_options";
    public const string InvalidSafetyIdentifier = "invalid_safety_identifier";
    public const string InvalidMaxTokens = "invalid_max_tokens";
    public const string InvalidBoolean = "invalid_boolean";
    public const string InvalidMessages = "invalid_messages";
    public const string UnsupportedContentPart = "unsupported_content_part";
    public const string DuplicateToolCallId = "duplicate_tool_call_id";
    public const string SpecialTokenLiteral = "special_token_literal";
}
