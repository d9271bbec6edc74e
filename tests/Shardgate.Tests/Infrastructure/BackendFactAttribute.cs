using Xunit.Sdk;

namespace Shardgate.Tests.Infrastructure;

/// <summary>A fact of a suite that runs once per backend; see <see cref="BackendFactDiscoverer"/>.</summary>
[XunitTestCaseDiscoverer("Shardgate.Tests.Infrastructure.BackendFactDiscoverer", "Shardgate.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class BackendFactAttribute : FactAttribute;
