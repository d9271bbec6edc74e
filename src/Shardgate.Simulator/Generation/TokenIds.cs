using System.Text;

namespace Shardgate.Simulator.Generation;

/// <summary>Stable stand-in token ids (a hash of the token's text), for <c>return_token_ids</c> and logprobs.</summary>
internal static class TokenIds
{
    private const int VocabularySize = 163_840;

    public static int Of(string token) => (int)(Fnv1a.Append(Fnv1a.Offset, token) % VocabularySize);

    public static byte[] Bytes(string token) => Encoding.UTF8.GetBytes(token);
}
