using Purchases.Infrastructure.Webhooks;

namespace Purchases.Tests.Webhooks;

/// <summary>No webhook into the cluster: loopback, private, link-local and other non-public targets are refused.</summary>
public sealed class WebhookUrlCheckTests
{
    static readonly WebhookOptions Strict = new();
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://172.20.0.5/hook")]
    [InlineData("https://192.168.1.10/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://100.64.0.1/hook")]
    [InlineData("https://0.0.0.0/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fd00::1]/hook")]
    [InlineData("https://[fe80::1]/hook")]
    [InlineData("https://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://224.0.0.1/hook")]
    public async Task A_non_public_address_is_refused(string url)
    {
        var refusal = await WebhookUrlCheck.RefusalAsync(url, Strict, Ct);
        Assert.NotNull(refusal);
        Assert.StartsWith("Webhook \"url\" must reach a public address;", refusal);
        Assert.Null(await WebhookUrlCheck.RefusalAsync(url, new WebhookOptions { AllowPrivateAddresses = true }, Ct));
    }

    [Theory]
    [InlineData("https://93.184.215.14/hook")]
    [InlineData("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook")]
    public async Task A_public_address_is_accepted(string url) =>
        Assert.Null(await WebhookUrlCheck.RefusalAsync(url, Strict, Ct));

    [Theory]
    [InlineData("not a url", "Webhook \"url\" must be an absolute https URL.")]
    [InlineData("ftp://93.184.215.14/hook", "Webhook \"url\" must be an absolute https URL.")]
    [InlineData("/relative/hook", "Webhook \"url\" must be an absolute https URL.")]
    [InlineData("http://93.184.215.14/hook", "Webhook \"url\" must use https.")]
    [InlineData("https://user:pw@93.184.215.14/hook", "Webhook \"url\" must not carry a user name or password.")]
    [InlineData("https://93.184.215.14/hook#x", "Webhook \"url\" must not have a fragment.")]
    public async Task A_malformed_url_is_refused_with_its_reason(string url, string message) =>
        Assert.Equal(message, await WebhookUrlCheck.RefusalAsync(url, Strict, Ct));

    [Fact]
    public async Task Plain_http_only_where_allowed() =>
        Assert.Null(await WebhookUrlCheck.RefusalAsync("http://93.184.215.14/hook", new WebhookOptions { AllowHttp = true }, Ct));

    [Fact]
    public async Task The_delivery_client_will_not_connect_to_a_private_address_whatever_was_registered()
    {
        using var client = new HttpClient(WebhookHttp.Handler(Strict));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://127.0.0.1:9/hook", Ct));
        Assert.Contains("resolves to no public address", refused.Message);
    }
}
