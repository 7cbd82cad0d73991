using System.Net;
using System.Net.Sockets;

namespace Purchases.Infrastructure.Webhooks;

/// <summary>An endpoint URL as registered: its refusal message, or null when it may be delivered to.</summary>
public static class WebhookUrlCheck
{
    public static async Task<string?> RefusalAsync(string? url, WebhookOptions options, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
            return "Webhook \"url\" must be an absolute https URL.";
        if (uri.Scheme == "http" && !options.AllowHttp)
            return "Webhook \"url\" must use https.";
        if (uri.UserInfo.Length > 0)
            return "Webhook \"url\" must not carry a user name or password.";
        if (uri.Fragment.Length > 0)
            return "Webhook \"url\" must not have a fragment.";
        if (options.AllowPrivateAddresses) return null;

        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.DnsSafeHost, out var literal)) addresses = [literal];
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(uri.DnsSafeHost, ct);
            }
            catch (SocketException)
            {
                return $"Webhook \"url\" host \"{uri.Host}\" does not resolve.";
            }
        }
        var refused = addresses.FirstOrDefault(a => !WebhookAddressPolicy.IsPublic(a));
        return refused is null && addresses.Length > 0
            ? null
            : $"Webhook \"url\" must reach a public address; \"{uri.Host}\" is {(refused ?? IPAddress.None)} (loopback, private and link-local addresses are refused).";
    }
}
