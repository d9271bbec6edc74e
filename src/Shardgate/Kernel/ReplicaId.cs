using System.Globalization;

namespace Shardgate.Kernel;

/// <summary>
/// A name for one gateway instance that no other replica shares, readable in logs and Redis: machine, process and a
/// random part (several gateways may run in one process, as the tests do).
/// </summary>
internal static class ReplicaId
{
    public static string New() =>
        Environment.MachineName + ":" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ":" + Guid.NewGuid().ToString("N")[..8];
}
