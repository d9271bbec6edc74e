using Microsoft.Extensions.Options;
using Shardgate.Kernel;

namespace Shardgate.Hosting;

/// <summary>What a command prints when the gateway cannot start for a reason the operator can fix: one line per problem.</summary>
internal static class StartupFailure
{
    /// <summary>The lines to print for <paramref name="exception"/>; null when it is a bug rather than a bad setting.</summary>
    public static IReadOnlyList<string>? Lines(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)],
        ArgumentException or StartupException => [exception.Message],
        _ => null,
    };
}
