using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace Purchases.Infrastructure.KeyRing;

public static class KeyRingRegistration
{
    /// <summary>
    /// ASP.NET Core Data Protection with its key ring in the database (shared by every instance), encrypted with
    /// <c>DataProtection:Certificate</c> when it is set; earlier certificates still decrypt the keys they protected.
    /// </summary>
    public static WebApplicationBuilder AddKeyRing(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var certificates = KeyRingCertificates.Load(options);
        builder.Services.AddSingleton(certificates);
        builder.Services.AddSingleton<KeyRingProtection>();
        if (certificates.Current is null && !builder.Environment.IsDevelopment())
            builder.Services.AddHostedService<UnprotectedKeyRingWarning>();

        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("Purchases");
        if (certificates.Current is { } current) dataProtection.ProtectKeysWithCertificate(current);
        if (certificates.All.Any()) dataProtection.UnprotectKeysWithAnyCertificate([.. certificates.All]);
        builder.Services.AddOptions<KeyManagementOptions>().Configure<NpgsqlDataSource>((o, dataSource) =>
            o.XmlRepository = new DataProtectionKeyRepository(dataSource));
        return builder;
    }
}
