using System.Globalization;

namespace Shardgate.Benchmarks;

/// <summary>
/// nginx set up as the plain proxy people put in front of an LLM server: keep-alive connections to the host,
/// HTTP/1.1 upstream, no access log, and no response buffering, so streamed events pass as they come. One process
/// (<c>master_process off</c>) so the harness reads its CPU from one <c>/proc</c> entry; one worker's event loop
/// uses a fraction of a core at the rates measured here, so a second worker would not raise its rate.
/// </summary>
internal static class NginxConfiguration
{
    public static string For(Uri upstream, int port, string directory) => string.Create(CultureInfo.InvariantCulture, $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        error_log stderr warn;
        pid {{directory}}/nginx.pid;
        events { worker_connections 8192; }
        http {
            access_log off;
            client_body_temp_path {{directory}}/body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
            upstream host {
                server {{upstream.Host}}:{{upstream.Port}};
                keepalive 256;
                keepalive_requests 1000000;
            }
            server {
                listen 127.0.0.1:{{port}} backlog=4096;
                keepalive_requests 1000000;
                location = /health { return 200; }
                location / {
                    proxy_pass http://host;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_buffering off;
                }
            }
        }
        """);
}
