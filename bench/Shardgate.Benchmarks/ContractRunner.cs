using Shardgate.Contract;

namespace Shardgate.Benchmarks;

/// <summary>What the endpoint does with a body, minus HTTP: parse, apply the contract, write the upstream body.</summary>
internal sealed class ContractRunner(string model)
{
    private static readonly ContractOptions Options = new();
    private readonly ChatPipeline _pipeline = new(Options);
    private readonly ModelProfile _profile = ModelProfile.For(model, Options);

    public int Run(byte[] body)
    {
        if (!ParsedRequest.TryParse(body, Options, out var parsed, out var parseError))
        {
            throw new InvalidOperationException(parseError.Message);
        }

        using (parsed)
        {
            var context = _pipeline.Apply(parsed, _profile, out var error);
            if (error is not null)
            {
                throw new InvalidOperationException(error.Message);
            }

            using var upstream = UpstreamBodyWriter.Write(context, body.Length);
            return upstream.WrittenCount;
        }
    }
}
