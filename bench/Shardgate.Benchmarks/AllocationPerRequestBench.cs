using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Shardgate.Simulator;

namespace Shardgate.Benchmarks;

/// <summary>
/// Bytes the gateway allocates per request. Client, simulated host and gateway share this process, so the same
/// requests are sent straight to the host and through the gateway (billing on), and the gateway's share is the
/// difference in <see cref="GC.GetTotalAllocatedBytes(bool)"/> per request; the runtime's allocation samples, by
/// type, show what makes up the difference. Sequential, bounded, loopback.
/// Usage: dotnet run -c Release --project bench/Shardgate.Benchmarks -- alloc [requests]
/// </summary>
internal static class AllocationPerRequestBench
{
    public static async Task RunAsync(string[] args)
    {
        var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        await using var host = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxConcurrent = 10_000 });
        await using var gateway = await InProcessGateway.StartAsync("load");
        var key = await LedgerLoad.ProvisionAsync(gateway.BaseUrl, host.BaseUrl);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var direct = new Uri(host.BaseUrl, "v1/chat/completions");
        var through = new Uri(gateway.BaseUrl, "/v1/chat/completions");
        using var sampler = new AllocationSampler();
        foreach (var (name, body) in new[] { ("non-stream", ChatPosts.Completion), ("stream, 64 tokens", ChatPosts.Stream(64)) })
        {
            var directBytes = await MeasureAsync(client, direct, body, requests, sampler);
            var directTypes = sampler.Top(int.MaxValue).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            var gatewayBytes = await MeasureAsync(client, through, body, requests, sampler);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: direct {directBytes:F0} B/request (client + host), through the gateway {gatewayBytes:F0} B/request; the gateway's share {gatewayBytes - directBytes:F0} B"));
            Console.WriteLine("   sampled types the gateway path adds most (bytes per request, ±100 KB sampling):");
            foreach (var (type, bytes) in sampler.Top(int.MaxValue).Select(p => (p.Key, p.Value - directTypes.GetValueOrDefault(p.Key))).OrderByDescending(p => p.Item2).Take(15))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {bytes / (double)requests,8:F0}  {type}"));
            }
        }
    }

    private static async Task<double> MeasureAsync(HttpClient client, Uri url, byte[] body, int requests, AllocationSampler sampler)
    {
        for (var i = 0; i < 2_000; i++)
        {
            await SendAsync(client, url, body);
        }

        sampler.Clear();
        sampler.Recording = true;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < requests; i++)
        {
            await SendAsync(client, url, body);
        }

        var perRequest = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)requests;
        sampler.Recording = false;
        return perRequest;
    }

    private static async Task SendAsync(HttpClient client, Uri url, byte[] body)
    {
        using var response = await ChatPosts.SendAsync(client, url, body);
        await response.Content.CopyToAsync(Stream.Null);
    }
}
