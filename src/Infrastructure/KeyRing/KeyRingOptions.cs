namespace Purchases.Infrastructure.KeyRing;

/// <summary>
/// How the Data Protection key ring (it encrypts webhook secrets) is protected at rest: a certificate, given the way
/// Kestrel's are (<c>Path</c>, and <c>KeyPath</c> for PEM or <c>Password</c> for PKCS#12). Unset, keys are stored
/// unencrypted in the database.
/// </summary>
public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>Encrypts every key made from now on (and every key <c>keyring protect</c> rewrites).</summary>
    public CertificateFile? Certificate { get; set; }

    /// <summary>Certificates that only decrypt: the ones keys were protected with before the current one.</summary>
    public List<CertificateFile> PreviousCertificates { get; set; } = [];
}

public sealed class CertificateFile
{
    /// <summary>A PEM certificate (with its key, or the key in <see cref="KeyPath"/>) or a PKCS#12 (.pfx/.p12) file.</summary>
    public string? Path { get; set; }

    /// <summary>The PEM private key, when it is not in <see cref="Path"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 file's password, or the encrypted PEM key's.</summary>
    public string? Password { get; set; }
}
