using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using NodaTime;
using Npgsql;

namespace Purchases.Infrastructure.KeyRing;

/// <summary>A key of the ring as an operator sees it: <c>ProtectedBy</c> is a certificate's thumbprint, null when unencrypted.</summary>
public sealed record StoredKey(Guid Id, Instant Created, Instant Expires, string? ProtectedBy);

public sealed class KeyRingException(string message) : Exception(message);

/// <summary>
/// The key ring at rest, for operators: which certificate protects each key, and rewriting every key under the current
/// certificate (a ring made before one was configured, or after the certificate changed). The keys themselves do not
/// change, so every secret they protect still opens, in every instance, without a restart.
/// </summary>
public sealed class KeyRingProtection(
    NpgsqlDataSource dataSource, KeyRingCertificates certificates, IServiceProvider services, ILoggerFactory loggers)
{
    static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";
    static readonly XName EncryptedSecret = DataProtection + "encryptedSecret";
    static readonly XName RequiresEncryption = DataProtection + "requiresEncryption";
    static readonly XName X509Certificate = XNamespace.Get("http://www.w3.org/2000/09/xmldsig#") + "X509Certificate";
    const string Unreadable = "(unknown)";

    public async Task<IReadOnlyList<StoredKey>> ListAsync(CancellationToken ct)
    {
        var keys = new List<StoredKey>();
        await using var command = dataSource.CreateCommand(
            "SELECT xml FROM data_protection_keys WHERE xml IS NOT NULL ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (Describe(XElement.Parse(reader.GetString(0))) is { } key)
                keys.Add(key);
        return keys;
    }

    /// <summary>
    /// Encrypts every key that is not yet under the current certificate, in one transaction: a key no configured
    /// certificate can decrypt stops it with nothing changed. Returns the keys rewritten and those already protected.
    /// </summary>
    public async Task<(int Protected, int Already)> ProtectAsync(CancellationToken ct)
    {
        var current = certificates.Current ?? throw new KeyRingException(
            $"{KeyRingOptions.Section}:Certificate is not set: there is no certificate to protect the key ring with.");
        var encryptor = new CertificateXmlEncryptor(current, loggers);
        var decryptor = new EncryptedXmlDecryptor(services);

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var rows = new List<(int Id, XElement Xml)>();
        await using (var select = new NpgsqlCommand(
                         "SELECT id, xml FROM data_protection_keys WHERE xml IS NOT NULL ORDER BY id FOR UPDATE", connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                rows.Add((reader.GetInt32(0), XElement.Parse(reader.GetString(1))));

        var (rewritten, already) = (0, 0);
        foreach (var (id, xml) in rows)
        {
            var key = Describe(xml);
            if (key is null) continue; // a revocation: nothing secret in it
            if (key.ProtectedBy == current.Thumbprint)
            {
                already++;
                continue;
            }
            Reprotect(key, xml, encryptor, decryptor);
            await using var update = new NpgsqlCommand("UPDATE data_protection_keys SET xml = $1 WHERE id = $2", connection, transaction);
            update.Parameters.Add(new NpgsqlParameter { Value = xml.ToString(SaveOptions.DisableFormatting) });
            update.Parameters.Add(new NpgsqlParameter { Value = id });
            await update.ExecuteNonQueryAsync(ct);
            rewritten++;
        }
        await transaction.CommitAsync(ct);
        return (rewritten, already);
    }

    static void Reprotect(StoredKey key, XElement xml, CertificateXmlEncryptor encryptor, EncryptedXmlDecryptor decryptor)
    {
        foreach (var secret in xml.Descendants(EncryptedSecret).ToList())
        {
            if (secret.Attribute("decryptorType")?.Value.StartsWith(typeof(EncryptedXmlDecryptor).FullName + ",", StringComparison.Ordinal) != true)
                throw new KeyRingException($"Key {key.Id} is encrypted by {secret.Attribute("decryptorType")?.Value}, not with a certificate; nothing was changed.");
            try
            {
                secret.ReplaceWith(decryptor.Decrypt(secret.Elements().Single()));
            }
            catch (CryptographicException)
            {
                throw new KeyRingException(
                    $"Key {key.Id} is protected by certificate {key.ProtectedBy}, which is not configured " +
                    $"({KeyRingOptions.Section}:Certificate or {KeyRingOptions.Section}:PreviousCertificates); nothing was changed.");
            }
        }
        foreach (var plain in xml.Descendants().Where(e => (bool?)e.Attribute(RequiresEncryption) == true).ToList())
        {
            var encrypted = encryptor.Encrypt(new XElement(plain));
            plain.ReplaceWith(new XElement(EncryptedSecret,
                new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!), encrypted.EncryptedElement));
        }
    }

    static StoredKey? Describe(XElement xml)
    {
        if (xml.Name != "key") return null;
        var secret = xml.Descendants(EncryptedSecret).FirstOrDefault();
        var protectedBy = secret is null ? null : Thumbprint(secret);
        return new StoredKey(Guid.Parse(xml.Attribute("id")!.Value), Date(xml, "creationDate"), Date(xml, "expirationDate"), protectedBy);
    }

    static string Thumbprint(XElement secret)
    {
        if (secret.Descendants(X509Certificate).FirstOrDefault() is not { } certificate) return Unreadable;
        using var loaded = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificate.Value));
        return loaded.Thumbprint;
    }

    static Instant Date(XElement xml, string name) =>
        Instant.FromDateTimeOffset(DateTimeOffset.Parse(xml.Element(name)!.Value, CultureInfo.InvariantCulture));
}
