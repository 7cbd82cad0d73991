using System.Net;
using System.Text.Json;
using Npgsql;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Webhooks;

/// <summary>
/// The key ring that encrypts webhook secrets, protected at rest by <c>DataProtection:Certificate</c>: its keys are
/// stored encrypted, <c>keyring protect</c> encrypts a ring made without a certificate and moves one to a new
/// certificate, and through all of it a secret keeps signing the service's deliveries. Each test has a database of
/// its own: a key one instance cannot decrypt would make the others' instances make keys of their own.
/// </summary>
public sealed class KeyRingProtectionTests : IAsyncDisposable
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly string connectionString;
    readonly NpgsqlDataSource dataSource;

    public KeyRingProtectionTests()
    {
        var database = $"keyring_{Guid.NewGuid():N}";
        TestDatabase.Shared.Cluster.EnsureDatabase(database);
        connectionString = TestDatabase.Shared.Cluster.ConnectionString(database);
        dataSource = NpgsqlDataSource.Create(connectionString);
    }

    [Fact]
    public async Task With_a_certificate_keys_are_stored_encrypted_and_secrets_still_sign()
    {
        using var certificate = KeyRingCertificateFiles.Rsa("purchases-keyring");
        var settings = certificate.AsPem();
        var (customer, worker) = await ArrangeAsync(settings);
        await using var receiver = await WebhookReceiver.RunningAsync();

        var secret = await AddWebhookAsync(receiver, settings);

        Assert.Equal((1L, 0L, 1L), await KeysAsync());
        var listed = await Cli(settings, "keyring", "list");
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains($"certificate {certificate.Thumbprint}", listed.Stdout);
        Assert.EndsWith("1 keys, 0 unencrypted.", listed.Stdout.Trim());
        await AssertDeliverySignedAsync(receiver, secret, customer, worker, settings);
    }

    [Fact]
    public async Task Keyring_protect_encrypts_a_ring_made_without_a_certificate_and_moves_it_to_a_new_one()
    {
        using var first = KeyRingCertificateFiles.Rsa("keyring-2026");
        using var second = KeyRingCertificateFiles.Rsa("keyring-2027");
        var (customer, worker) = await ArrangeAsync([]);
        await using var receiver = await WebhookReceiver.RunningAsync();
        var secret = await AddWebhookAsync(receiver, []);
        Assert.Equal((1L, 1L, 0L), await KeysAsync());
        Assert.EndsWith("1 keys, 1 unencrypted.", (await Cli([], "keyring", "list")).Stdout.Trim());

        var without = await Cli([], "keyring", "protect");
        Assert.Equal((1, "DataProtection:Certificate is not set: there is no certificate to protect the key ring with."),
            (without.ExitCode, without.Stderr.Trim()));

        var protectedByFirst = await Cli(first.AsPem(), "keyring", "protect");
        Assert.Equal((0, $"1 keys protected with certificate {first.Thumbprint}; 0 already were."),
            (protectedByFirst.ExitCode, protectedByFirst.Stdout.Trim()));
        Assert.Equal((1L, 0L, 1L), await KeysAsync());

        var moving = new Dictionary<string, string?>(second.AsPkcs12("s3cret"));
        foreach (var (key, value) in first.AsPem("DataProtection__PreviousCertificates__0")) moving[key] = value;
        var moved = await Cli(moving, "keyring", "protect");
        Assert.Equal((0, $"1 keys protected with certificate {second.Thumbprint}; 0 already were."), (moved.ExitCode, moved.Stdout.Trim()));
        var again = await Cli(second.AsPkcs12("s3cret"), "keyring", "protect");
        Assert.Equal((0, $"0 keys protected with certificate {second.Thumbprint}; 1 already were."), (again.ExitCode, again.Stdout.Trim()));

        var stored = await ScalarAsync<string>("SELECT string_agg(xml, '' ORDER BY id) FROM data_protection_keys");
        var keyId = await ScalarAsync<string>("SELECT substring(xml from 'id=\"([0-9a-f-]{36})\"') FROM data_protection_keys");
        var withTheOldOne = await Cli(first.AsPem(), "keyring", "protect");
        Assert.Equal((1, $"Key {keyId} is protected by certificate {second.Thumbprint}, which is not configured " +
                         "(DataProtection:Certificate or DataProtection:PreviousCertificates); nothing was changed."),
            (withTheOldOne.ExitCode, withTheOldOne.Stderr.Trim()));
        Assert.Equal(stored, await ScalarAsync<string>("SELECT string_agg(xml, '' ORDER BY id) FROM data_protection_keys"));

        // The secret made before any certificate, under the key now protected by the second one alone.
        await AssertDeliverySignedAsync(receiver, secret, customer, worker, second.AsPkcs12("s3cret"));
        Assert.Equal((1L, 0L, 1L), await KeysAsync());
    }

    [Fact]
    public async Task Without_a_certificate_the_service_warns_once_at_start()
    {
        await ArrangeAsync([]);

        await using var service = await ServiceProcess.StartAsync(connectionString, ct: Ct);

        Assert.Single(service.Output.Split('\n'), line => line.Contains(
            "DataProtection:Certificate is not set: the key ring that encrypts webhook secrets is stored unencrypted in the database"));
    }

    async Task<(string Customer, string Worker)> ArrangeAsync(Dictionary<string, string?> settings)
    {
        Assert.Equal(0, (await Cli(settings, "migrate")).ExitCode);
        var customer = await Cli(settings, "customers", "add", "trebolenergia");
        var worker = await Cli(settings, "tokens", "issue", "--role", "worker", "argo");
        Assert.Equal((0, 0), (customer.ExitCode, worker.ExitCode));
        return (customer.Stdout.Trim(), worker.Stdout.Trim());
    }

    async Task<string> AddWebhookAsync(WebhookReceiver receiver, Dictionary<string, string?> settings)
    {
        var added = await Cli(new Dictionary<string, string?>(settings)
        {
            ["Webhooks__AllowHttp"] = "true", ["Webhooks__AllowPrivateAddresses"] = "true",
        }, "webhooks", "add", "trebolenergia", receiver.Url, "--event", "purchase.completed", "--json");
        Assert.Equal(0, added.ExitCode);
        return JsonDocument.Parse(added.Stdout).RootElement.GetProperty("secret").GetString()!;
    }

    /// <summary>The service, as its own process with these settings, signs a delivery with <paramref name="secret"/>.</summary>
    async Task AssertDeliverySignedAsync(WebhookReceiver receiver, string secret, string customer, string worker,
        Dictionary<string, string?> settings)
    {
        var serviceSettings = settings.ToDictionary(s => s.Key, s => s.Value!);
        serviceSettings["Webhooks:AllowHttp"] = "true";
        serviceSettings["Webhooks:AllowPrivateAddresses"] = "true";
        await using var service = await ServiceProcess.StartAsync(connectionString, serviceSettings, ct: Ct);
        var id = await service.CreateClient(customer).SubmitAsync("trebolenergia");
        using var updated = await service.CreateClient(worker)
            .UpdateAsync("trebolenergia", id, """{"outputs": {}, "status": "completed", "error": ""}""");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

        for (var i = 0; i < 300 && !receiver.Accepted.Values.Any(r => r.Body.Contains(id.ToString())); i++)
            await Task.Delay(50, Ct);

        var received = Assert.Single(receiver.Accepted.Values, r => r.Body.Contains(id.ToString()));
        Assert.True(WebhookVerifier.Verifies(secret, received.Id, received.Timestamp, received.Body, received.Signature),
            service.OutputTail());
        Assert.DoesNotContain("DataProtection:Certificate is not set", service.Output);
    }

    /// <summary>Keys stored; of them, with their master key in clear; and encrypted.</summary>
    async Task<(long Keys, long InClear, long Encrypted)> KeysAsync() => (
        await ScalarAsync<long>("SELECT count(*) FROM data_protection_keys WHERE xml LIKE '<key %'"),
        await ScalarAsync<long>("SELECT count(*) FROM data_protection_keys WHERE xml LIKE '%<masterKey%<value>%'"),
        await ScalarAsync<long>("SELECT count(*) FROM data_protection_keys WHERE xml LIKE '%<encryptedSecret %<EncryptedData %'"));

    Task<CliResult> Cli(Dictionary<string, string?> settings, params string[] args) =>
        CliProcess.RunAsync(new Dictionary<string, string?>(settings) { ["ConnectionStrings__Purchases"] = connectionString }, args);

    async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    public async ValueTask DisposeAsync() => await dataSource.DisposeAsync();
}
