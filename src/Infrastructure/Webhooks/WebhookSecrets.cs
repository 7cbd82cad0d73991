using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Purchases.Infrastructure.Webhooks;

/// <summary>
/// Signing secrets: made here (<c>whsec_</c> and 32 random bytes in base64, the Standard Webhooks form), shown to the
/// customer once, and stored only as Data Protection ciphertext (keys in the database, shared by every instance).
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    readonly IDataProtector protector = provider.CreateProtector("Purchases.Webhooks.SigningSecret.v1");

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);
}
