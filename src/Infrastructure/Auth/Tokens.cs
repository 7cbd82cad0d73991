using System.Security.Cryptography;
using System.Text;

namespace Purchases.Infrastructure.Auth;

/// <summary>Opaque bearer tokens: 32 random bytes, shown once, stored only as their SHA-256.</summary>
public static class Tokens
{
    const string Prefix = "pur_";

    public static string NewToken() => Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>A fast hash is right here: the input has 256 bits of entropy, so there is nothing to brute-force.</summary>
    public static byte[] Hash(string token)
    {
        var hash = new byte[SHA256.HashSizeInBytes];
        Hash(token, hash);
        return hash;
    }

    /// <summary>The same hash into <paramref name="hash"/> (32 bytes), without allocating: once per request.</summary>
    public static void Hash(ReadOnlySpan<char> token, Span<byte> hash)
    {
        var length = Encoding.UTF8.GetByteCount(token);
        var utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(token, utf8);
        SHA256.HashData(utf8, hash);
    }

    static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
