using System.Net;
using System.Net.Sockets;

namespace Shardgate.Tests.Infrastructure;

/// <summary>A loopback port nothing listens on, for connection-refused failures.</summary>
internal static class ClosedPort
{
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
