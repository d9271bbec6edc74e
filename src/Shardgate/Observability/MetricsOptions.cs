using System.ComponentModel.DataAnnotations;

namespace Shardgate.Observability;

/// <summary>The Prometheus scrape endpoint, from <c>Shardgate:Metrics</c>. OTLP export is the standard <c>OTEL_EXPORTER_OTLP_*</c> variables' business.</summary>
internal sealed record MetricsOptions : IValidatableObject
{
    public const string Path = "/metrics";

    /// <summary>Whether <c>GET /metrics</c> answers at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// A separate listener for <c>/metrics</c>, such as <c>http://127.0.0.1:9464</c>; the main port then answers 404
    /// there and the metrics port serves nothing else. Unset, the scrape endpoint is on the main port.
    /// </summary>
    public Uri? Url { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Url is not null && (!Url.IsAbsoluteUri || Url.Scheme != Uri.UriSchemeHttp || Url.IsDefaultPort || Url.AbsolutePath != "/"))
        {
            yield return new ValidationResult("must be an http URL with an explicit port and no path, such as http://127.0.0.1:9464", [nameof(Url)]);
        }
    }
}
