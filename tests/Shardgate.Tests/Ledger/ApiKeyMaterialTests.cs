using System.Security.Cryptography;
using System.Text;
using Shardgate.Ledger;

namespace Shardgate.Tests.Ledger;

public sealed class ApiKeyMaterialTests
{
    [Fact]
    public void Keys_are_prefixed_random_and_url_safe()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeyMaterial.NewKey()).ToList();

        Assert.All(keys, k => Assert.StartsWith("sg-", k, StringComparison.Ordinal));
        Assert.All(keys, k => Assert.Matches("^sg-[A-Za-z0-9_-]{43}$", k));
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void Both_hash_forms_are_sha256_of_the_utf8_key()
    {
        var key = ApiKeyMaterial.NewKey();
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var span = new byte[32];
        ApiKeyMaterial.Hash(key, span);

        Assert.Equal(expected, ApiKeyMaterial.Hash(key));
        Assert.Equal(expected, span);
    }
}
