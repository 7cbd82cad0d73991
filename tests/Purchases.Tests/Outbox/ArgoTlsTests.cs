using System.Diagnostics;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Outbox;

/// <summary>How the fake Argo's certificate relates to the CA the service is given in <c>Argo:CaFile</c>.</summary>
public enum ArgoCertificate { SignedByTrustedCa, SignedByIntermediateOfTrustedCa, SignedByUntrustedCa }

/// <summary>
/// Argo serves HTTPS with a certificate from its own CA: the service trusts the CA named by <c>Argo:CaFile</c>, and
/// still refuses a certificate that does not chain to it.
/// </summary>
public abstract class HttpsArgoApiFactory(ArgoCertificate certificate) : DrainingApiFactory
{
    readonly TestCertificateAuthority argosCa = new("fake argo CA");
    readonly TestCertificateAuthority otherCa = new("some other CA");
    TestCertificateAuthority? intermediate;
    string? caFile;

    protected override Task<FakeArgo> StartArgoAsync()
    {
        caFile = (certificate == ArgoCertificate.SignedByUntrustedCa ? otherCa : argosCa).WritePemFile();
        if (certificate != ArgoCertificate.SignedByIntermediateOfTrustedCa)
            return FakeArgo.StartAsync(certificate: argosCa.IssueServerCertificate());
        // The server sends the intermediate along; only the root is in Argo:CaFile.
        intermediate = new TestCertificateAuthority("fake argo intermediate CA", argosCa);
        return FakeArgo.StartAsync(certificate: intermediate.IssueServerCertificate(), intermediates: [intermediate.Certificate]);
    }

    protected override IEnumerable<(string Key, string Value)> ExtraSettings => [("Argo:CaFile", caFile!)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (caFile is not null) File.Delete(caFile);
        intermediate?.Dispose();
        argosCa.Dispose();
        otherCa.Dispose();
    }
}

public sealed class TrustingHttpsArgoApiFactory() : HttpsArgoApiFactory(ArgoCertificate.SignedByTrustedCa);

public sealed class IntermediateHttpsArgoApiFactory() : HttpsArgoApiFactory(ArgoCertificate.SignedByIntermediateOfTrustedCa);

public sealed class DistrustingHttpsArgoApiFactory() : HttpsArgoApiFactory(ArgoCertificate.SignedByUntrustedCa);

public sealed class ArgoTlsTests(ApiFactory api, TrustingHttpsArgoApiFactory trusting, DistrustingHttpsArgoApiFactory distrusting,
    IntermediateHttpsArgoApiFactory intermediate)
    : ApiTest(api), IClassFixture<TrustingHttpsArgoApiFactory>, IClassFixture<DistrustingHttpsArgoApiFactory>,
        IClassFixture<IntermediateHttpsArgoApiFactory>
{
    [Fact]
    public async Task A_certificate_from_an_intermediate_the_server_sends_chains_to_the_trusted_root()
    {
        var token = await Api.AddCustomerAsync("trebolenergia");

        var id = await intermediate.CreateClient().WithToken(token).SubmitAsync("trebolenergia", "123");

        await intermediate.Argo.WaitForWorkflowAsync($"purchase-{id}", TimeSpan.FromSeconds(15));
        Assert.Equal("submitted", await StateWhenSettledAsync(id, "submitted"));
    }

    [Fact]
    public async Task With_argos_ca_trusted_a_purchase_reaches_argo_over_https()
    {
        Assert.Equal("https", trusting.Argo.BaseUrl.Scheme);
        var token = await Api.AddCustomerAsync("trebolenergia");

        var id = await trusting.CreateClient().WithToken(token).SubmitAsync("trebolenergia", "123");

        await trusting.Argo.WaitForWorkflowAsync($"purchase-{id}", TimeSpan.FromSeconds(15));
        Assert.Equal("submitted", await StateWhenSettledAsync(id, "submitted"));
    }

    [Fact]
    public async Task A_certificate_from_another_ca_is_refused_and_the_entry_waits_for_a_retry()
    {
        var token = await Api.AddCustomerAsync("trebolenergia");

        var id = await distrusting.CreateClient().WithToken(token).SubmitAsync("trebolenergia", "123");

        Assert.Equal("pending|1", await StateWhenSettledAsync(id, "pending|1"));
        Assert.StartsWith("TLS failed: ", await Api.ScalarAsync<string>("SELECT last_error FROM outbox_entries WHERE purchase_id = $1", id));
        Assert.Equal(0, distrusting.Argo.CreateCalls);
    }

    async Task<string> StateWhenSettledAsync(Guid purchaseId, string expected)
    {
        var waited = Stopwatch.StartNew();
        string state;
        do
        {
            state = await Api.ScalarAsync<string>(
                "SELECT concat_ws('|', state, NULLIF(attempts, 0)) FROM outbox_entries WHERE purchase_id = $1", purchaseId);
            if (state == expected) break;
            await Task.Delay(20, Ct);
        } while (waited.Elapsed < TimeSpan.FromSeconds(10));
        return state;
    }
}
