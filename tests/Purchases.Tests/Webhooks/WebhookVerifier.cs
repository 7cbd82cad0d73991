using System.Security.Cryptography;
using System.Text;

namespace Purchases.Tests.Webhooks;

/// <summary>A receiver's check of a Standard Webhooks signature, written from the specification (not our signer).</summary>
public static class WebhookVerifier
{
    public static bool Verifies(string secret, string id, string timestamp, string body, string signatureHeader)
    {
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return signatureHeader.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal) &&
            CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }
}
