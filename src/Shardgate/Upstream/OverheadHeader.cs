using System.Globalization;
using Microsoft.AspNetCore.Http;
using Shardgate.Kernel;

namespace Shardgate.Upstream;

/// <summary>
/// <c>X-Shardgate-Overhead-Ms</c>, set just before the headers go out: the time since the request arrived minus the
/// time spent waiting on hosts. It includes the contract, routing, the ledger and, for non-streaming answers, the
/// commit of the usage row that precedes the body.
/// </summary>
internal static class OverheadHeader
{
    /// <summary>Sets the header and returns its value, in milliseconds.</summary>
    public static double Set(HttpResponse response, TimeProvider time, long startTimestamp, long upstreamTicks)
    {
        var elapsed = time.GetTimestamp() - startTimestamp - upstreamTicks;
        var ms = Math.Max(0, elapsed * 1000.0 / time.TimestampFrequency);
        response.Headers[ShardgateHeaders.Overhead] = ms.ToString("0.###", CultureInfo.InvariantCulture);
        return ms;
    }
}
