namespace Shardgate.Contract.Responses;

/// <summary>
/// What every <c>response</c> object of one request carries besides its output: the id, the model that served, the
/// creation time and the request's fields the object repeats (<see cref="ResponsesRequestTranslator.Echo"/>).
/// </summary>
internal sealed record ResponsesHead(string Id, string Model, DateTimeOffset CreatedAt, IReadOnlyList<KeyValuePair<string, byte[]>> Echo)
{
    /// <summary>The id without <c>resp_</c>, shared by the ids of the response's items.</summary>
    public string Suffix => Id.StartsWith("resp_", StringComparison.Ordinal) ? Id[5..] : Id;

    public string ItemId(string prefix, int outputIndex) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}_{Suffix}_{outputIndex}");
}
