using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Purchases.Infrastructure.Argo;

/// <summary>
/// How the Argo server's certificate is trusted. The Argo server serves HTTPS with its own certificate by default,
/// so <see cref="ArgoOptions.CaFile"/> names the CA (PEM) that signed it; the system's roots still count, and the
/// host name must still match. Verification is never switched off.
/// </summary>
public static class ArgoTls
{
    public static SslClientAuthenticationOptions ClientOptions(string? caFile)
    {
        if (caFile is null) return new SslClientAuthenticationOptions();
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caFile);
        return new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, sent, errors) =>
                errors == SslPolicyErrors.None ||
                errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && ChainsTo(roots, certificate, sent),
        };
    }

    /// <param name="sent">The chain the system built, whose elements include the intermediates the server sent.</param>
    static bool ChainsTo(X509Certificate2Collection roots, X509Certificate certificate, X509Chain? sent)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (sent is not null)
            foreach (var element in sent.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
