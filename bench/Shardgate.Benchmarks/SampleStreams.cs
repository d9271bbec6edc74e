using System.Buffers;
using System.Text;

namespace Shardgate.Benchmarks;

/// <summary>Host streams as vLLM writes them, for the relay micro-benchmarks.</summary>
internal static class SampleStreams
{
    /// <summary>A Kimi stream: the role chunk, <paramref name="tokens"/> content chunks, the finish chunk and the usage chunk; [DONE] when asked.</summary>
    public static ReadOnlySequence<byte> Kimi(int tokens, bool withDone)
    {
        var sb = new StringBuilder();
        const string Head = "{\"id\":\"chatcmpl-0123456789abcdef0123456789abcdef\",\"object\":\"chat.completion.chunk\",\"created\":1795377453,\"model\":\"moonshotai/Kimi-K2.6\",\"choices\":[{\"index\":0,\"delta\":";
        sb.Append("data: ").Append(Head).Append("{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        for (var i = 0; i < tokens; i++)
        {
            sb.Append("data: ").Append(Head).Append("{\"content\":\" token\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        }

        sb.Append("data: ").Append(Head).Append("{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n");
        sb.Append("data: {\"id\":\"chatcmpl-0\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":900,\"total_tokens\":1100,\"completion_tokens\":").Append(tokens).Append("}}\n\n");
        if (withDone)
        {
            sb.Append("data: [DONE]\n\n");
        }

        return new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(sb.ToString()));
    }
}
