using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Purchases.Tests.Infrastructure;

/// <summary>A throwaway certificate authority and server certificates it signs, for HTTPS on loopback.</summary>
public sealed class TestCertificateAuthority : IDisposable
{
    readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A root CA, or with <paramref name="issuer"/> an intermediate CA that it signs.</summary>
    public TestCertificateAuthority(string name, TestCertificateAuthority? issuer = null)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // An intermediate ends a day before its issuer: made a second later with the same span, it would outlive it
        // and CertificateRequest.Create refuses that.
        var (notBefore, notAfter) = (DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(issuer is null ? 30 : 29));
        if (issuer is null)
        {
            Certificate = request.CreateSelfSigned(notBefore, notAfter);
            return;
        }
        using var signed = request.Create(issuer.Certificate, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
        Certificate = signed.CopyWithPrivateKey(key);
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Writes the CA certificate (no key) as PEM to a temporary file and returns its path.</summary>
    public string WritePemFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"purchases-test-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, Certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>A server certificate with its private key for 127.0.0.1 and localhost, signed by this CA.</summary>
    public X509Certificate2 IssueServerCertificate()
    {
        var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-argo", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = request.Create(Certificate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7),
            RandomNumberGenerator.GetBytes(8));
        // Through PKCS#12 so that Kestrel's SslStream gets a certificate whose key it can use on every platform.
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        key.Dispose();
    }
}

/// <summary>A self-signed certificate for the Data Protection key ring, written to temporary files as an operator would.</summary>
public sealed class KeyRingCertificateFiles : IDisposable
{
    readonly X509Certificate2 certificate;
    readonly string directory = Directory.CreateTempSubdirectory("purchases-keyring-").FullName;

    KeyRingCertificateFiles(X509Certificate2 certificate) => this.certificate = certificate;

    public static KeyRingCertificateFiles Rsa(string name) => new(SelfSigned(name, RSA.Create(2048)));

    /// <summary>An ECDSA certificate: valid, but not one XML encryption can wrap a key with.</summary>
    public static KeyRingCertificateFiles Ecdsa(string name) => new(SelfSigned(name, ECDsa.Create(ECCurve.NamedCurves.nistP256)));

    public string Thumbprint => certificate.Thumbprint;

    /// <summary>Settings for <c>DataProtection:Certificate</c> (or a <c>PreviousCertificates</c> entry): PEM certificate and key files.</summary>
    public Dictionary<string, string?> AsPem(string setting = "DataProtection__Certificate")
    {
        var (crt, key) = (Path.Combine(directory, "tls.crt"), Path.Combine(directory, "tls.key"));
        File.WriteAllText(crt, certificate.ExportCertificatePem());
        File.WriteAllText(key, (certificate.GetRSAPrivateKey() as AsymmetricAlgorithm ?? certificate.GetECDsaPrivateKey()!).ExportPkcs8PrivateKeyPem());
        return new() { [$"{setting}__Path"] = crt, [$"{setting}__KeyPath"] = key };
    }

    /// <summary>The certificate alone, without its private key.</summary>
    public Dictionary<string, string?> WithoutKey()
    {
        var crt = Path.Combine(directory, "public.crt");
        File.WriteAllText(crt, certificate.ExportCertificatePem());
        return new() { ["DataProtection__Certificate__Path"] = crt };
    }

    /// <summary>A PKCS#12 file with <paramref name="password"/>, given with <paramref name="given"/>.</summary>
    public Dictionary<string, string?> AsPkcs12(string password, string? given = null)
    {
        var pfx = Path.Combine(directory, "keyring.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, password));
        return new() { ["DataProtection__Certificate__Path"] = pfx, ["DataProtection__Certificate__Password"] = given ?? password };
    }

    static X509Certificate2 SelfSigned(string name, AsymmetricAlgorithm key)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest($"CN={name}", ecdsa, HashAlgorithmName.SHA256),
            _ => throw new ArgumentOutOfRangeException(nameof(key)),
        };
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public void Dispose()
    {
        certificate.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
