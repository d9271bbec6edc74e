using System.Net.Sockets;
using Shardgate.Network;
using Shardgate.Routing;
using Shardgate.Upstream;

namespace Shardgate.Tests.Upstream;

public sealed class UpstreamAttemptTests
{
    public static TheoryData<Exception> SocketFailures => new()
    {
        // What HttpClient throws, unwrapped, when a host dies while the connection opens (it reads RemoteEndPoint).
        new SocketException((int)SocketError.NotConnected),
        new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)),
        new IOException("Connection reset by peer"),
    };

    [Theory]
    [MemberData(nameof(SocketFailures))]
    public async Task A_host_whose_connection_fails_is_a_transport_failure_to_retry_elsewhere(Exception failure)
    {
        using var client = new UpstreamClient(new FailingHandler(failure));
        var host = new UpstreamHost("node-1", new Uri("http://127.0.0.1:9/"), maxConcurrent: 4, weight: 1);
        Assert.True(host.TryAcquire());
        await using var attempt = new UpstreamAttempt(host, null, TimeSpan.FromSeconds(5), TimeProvider.System, null, new ForwardedHeaders("req_test", null, null), CancellationToken.None);

        var start = await attempt.StartAsync(client, "{}"u8.ToArray(), stream: false);

        Assert.Equal(AttemptStartKind.Failed, start.Kind);
        Assert.Equal(HostFault.Transport, start.Fault);
        Assert.StartsWith("connection failed: ", start.Failure, StringComparison.Ordinal);
    }

    private sealed class FailingHandler(Exception failure) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(failure);
    }
}
