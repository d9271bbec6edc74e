namespace Shardgate.Tests.Infrastructure;

/// <summary>A fact that needs the real Prometheus of <see cref="TestPrometheus"/>; reported as skipped, saying why, without one.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (TestPrometheus.Url is null)
        {
            Skip = TestPrometheus.SkipReason;
        }
    }
}
