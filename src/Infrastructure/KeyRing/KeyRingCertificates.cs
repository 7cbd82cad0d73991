using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Purchases.Infrastructure.KeyRing;

/// <summary>
/// The key ring's certificates, loaded and checked once at start-up: a wrong path, a missing private key or a key
/// XML encryption cannot use fails the start with the setting's name, not the first webhook registration.
/// </summary>
public sealed class KeyRingCertificates
{
    KeyRingCertificates(X509Certificate2? current, IReadOnlyList<X509Certificate2> previous) =>
        (Current, Previous) = (current, previous);

    /// <summary>What new keys are encrypted with; null: they are stored unencrypted.</summary>
    public X509Certificate2? Current { get; }

    public IReadOnlyList<X509Certificate2> Previous { get; }

    /// <summary>Every certificate that can decrypt a key: the current one first.</summary>
    public IEnumerable<X509Certificate2> All => Current is null ? Previous : Previous.Prepend(Current);

    public static KeyRingCertificates Load(KeyRingOptions options)
    {
        var current = options.Certificate is { } given ? Load(given, $"{KeyRingOptions.Section}:Certificate") : null;
        var previous = options.PreviousCertificates
            .Select((file, i) => Load(file, $"{KeyRingOptions.Section}:PreviousCertificates:{i}"))
            .ToList();
        return new KeyRingCertificates(current, previous);
    }

    static X509Certificate2 Load(CertificateFile file, string setting)
    {
        if (string.IsNullOrWhiteSpace(file.Path)) throw new InvalidOperationException($"{setting}:Path is not set.");
        foreach (var (path, name) in new[] { (file.Path, "Path"), (file.KeyPath, "KeyPath") })
            if (path is not null && !File.Exists(path))
                throw new InvalidOperationException($"{setting}:{name}: there is no file at {path}.");

        X509Certificate2 certificate;
        try
        {
            certificate = Read(file);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{setting}: {file.Path} could not be read as a certificate: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException(
                $"{setting}: the certificate in {file.Path} has no private key (give it in the file or in {setting}:KeyPath).");
        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
            throw new InvalidOperationException(
                $"{setting}: the certificate in {file.Path} must have an RSA key (XML encryption wraps keys with RSA only).");
        return certificate;
    }

    static X509Certificate2 Read(CertificateFile file)
    {
        var path = file.Path!;
        var content = File.ReadAllText(path);
        if (!content.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            return X509CertificateLoader.LoadPkcs12FromFile(path, file.Password);
        var keyPath = file.KeyPath ?? (content.Contains("PRIVATE KEY-----", StringComparison.Ordinal) ? path : null);
        if (keyPath is null) return X509CertificateLoader.LoadCertificateFromFile(path); // refused for its missing key
        return file.Password is { } password
            ? X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath)
            : X509Certificate2.CreateFromPemFile(path, keyPath);
    }
}
