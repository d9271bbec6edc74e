using System.Globalization;
using System.Text.RegularExpressions;

namespace Shardgate.Network;

/// <summary>Checks a node and reports every problem at once, so an operator fixes them in one round.</summary>
internal static partial class NodeValidator
{
    public static IReadOnlyList<string> Validate(NodeSpec node)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(node.Id))
        {
            errors.Add("id is required and cannot be empty");
        }
        else if (!IdPattern().IsMatch(node.Id))
        {
            errors.Add("id may hold only letters, digits, '.', '_' and '-' (at most 128)");
        }

        if (!string.IsNullOrWhiteSpace(node.BaseUrl))
        {
            if (!Uri.TryCreate(node.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add("base_url must be an absolute http or https URL");
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(node.Host))
            {
                errors.Add("host is required unless base_url is set");
            }

            if (node.InferencePort is < 1 or > 65535)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"inference_port must be between 1 and 65535, got {node.InferencePort}"));
            }

            if (!string.IsNullOrEmpty(node.InferenceSegment) && !node.InferenceSegment.StartsWith('/'))
            {
                errors.Add("inference_segment must start with '/'");
            }
        }

        if (node.MaxConcurrent <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"max_concurrent must be greater than 0, got {node.MaxConcurrent}"));
        }

        if (!(node.Weight > 0) || double.IsInfinity(node.Weight))
        {
            errors.Add("weight must be a positive number");
        }

        if (node.Models.Count == 0)
        {
            errors.Add("at least one model must be specified");
        }

        foreach (var (model, spec) in node.Models)
        {
            if (string.IsNullOrWhiteSpace(model))
            {
                errors.Add("model ids cannot be empty");
            }
            else if (spec.ResolveContextWindow() is null && HasMaxModelLen(spec))
            {
                errors.Add($"models[\"{model}\"].args has a --max-model-len that is not a positive integer");
            }

            if (spec.Weight is { } weight && (!(weight > 0) || double.IsInfinity(weight)))
            {
                errors.Add($"models[\"{model}\"].weight must be a positive number");
            }
        }

        return errors;
    }

    private static bool HasMaxModelLen(NodeModelSpec spec) =>
        spec.Args.Any(a => a.StartsWith("--max-model-len", StringComparison.Ordinal));

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex IdPattern();
}
