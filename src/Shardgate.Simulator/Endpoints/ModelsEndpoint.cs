using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Shardgate.Simulator.Endpoints;

/// <summary><c>GET /v1/models</c> in vLLM's shape, including <c>max_model_len</c>.</summary>
internal static class ModelsEndpoint
{
    public static async Task HandleAsync(HttpContext context, SimulatedHostOptions options, TimeProvider time)
    {
        context.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            w.WriteStartObject();
            w.WriteString("id", options.EffectiveModelId);
            w.WriteString("object", "model");
            w.WriteNumber("created", time.GetUtcNow().ToUnixTimeSeconds());
            w.WriteString("owned_by", "vllm");
            w.WriteString("root", options.EffectiveModelId);
            w.WriteNull("parent");
            w.WriteNumber("max_model_len", options.MaxModelLen);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
