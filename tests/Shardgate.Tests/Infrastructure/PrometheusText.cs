using System.Globalization;

namespace Shardgate.Tests.Infrastructure;

/// <summary>A scrape of <c>/metrics</c> in Prometheus text format, read the way a PromQL <c>sum</c> would.</summary>
internal sealed class PrometheusText(string text)
{
    public string Text { get; } = text;

    public static async Task<PrometheusText> ScrapeAsync(HttpClient client, string path = "/metrics")
    {
        using var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The sum of every sample of <paramref name="metric"/> whose labels include all of <paramref name="labels"/> (<c>name="value"</c>).</summary>
    public double Sum(string metric, params string[] labels)
    {
        var sum = 0.0;
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(metric, StringComparison.Ordinal) || line.Length == metric.Length || line[metric.Length] is not ('{' or ' '))
            {
                continue;
            }

            var value = line[(line.LastIndexOf(' ') + 1)..];
            var labelPart = line[metric.Length] == '{' ? line[(metric.Length + 1)..line.LastIndexOf('}')] : string.Empty;
            if (labels.All(l => labelPart.Contains(l, StringComparison.Ordinal)))
            {
                sum += double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    /// <summary>Whether any sample of <paramref name="metric"/> exists.</summary>
    public bool Has(string metric) => Text.Split('\n').Any(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal));
}
