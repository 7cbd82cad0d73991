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
        var (notBefore, notAfter) = (DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
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
