using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Shardgate.Ledger;

/// <summary>Makes and hashes API keys: <c>sg-</c> plus 32 random bytes in base64url; only SHA-256 is kept.</summary>
internal static class ApiKeyMaterial
{
    public const string Prefix = "sg-";
    private const int RandomBytes = 32;
    private const int DisplayChars = 10;

    public static string NewKey()
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        return Prefix + Base64Url.EncodeToString(random);
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Hashes without allocating the UTF-8 copy, for the per-request lookup.</summary>
    public static void Hash(ReadOnlySpan<char> key, Span<byte> destination)
    {
        Span<byte> utf8 = key.Length <= 256 ? stackalloc byte[key.Length * 3] : new byte[key.Length * 3];
        var written = Encoding.UTF8.GetBytes(key, utf8);
        SHA256.HashData(utf8[..written], destination);
    }

    public static string DisplayPrefix(string key) => key.Length <= DisplayChars ? key : key[..DisplayChars];
}
