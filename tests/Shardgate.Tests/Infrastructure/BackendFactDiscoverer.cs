using Xunit.Abstractions;
using Xunit.Sdk;

namespace Shardgate.Tests.Infrastructure;

/// <summary>
/// Runs a <see cref="BackendFactAttribute"/> test normally, except in a PostgreSQL suite class when
/// <c>SHARDGATE_TEST_POSTGRES</c> is unset: then the test is reported as skipped, saying why.
/// </summary>
public sealed class BackendFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var needsPostgres = typeof(IRunsOnPostgres).IsAssignableFrom(testMethod.TestClass.Class.ToRuntimeType());
        if (needsPostgres && TestPostgres.ConnectionString is null)
        {
            return [new XunitSkippedDataRowTestCase(diagnostics, display, displayOptions, testMethod, TestPostgres.SkipReason)];
        }

        return [new XunitTestCase(diagnostics, display, displayOptions, testMethod)];
    }
}
