using System.Net;
using System.Net.Sockets;

namespace Purchases.Infrastructure.Webhooks;

/// <summary>
/// Which addresses a webhook may be delivered to: public unicast ones only, unless private ones are allowed. Checked
/// when an endpoint is registered (every address its host resolves to) and again for the address actually connected
/// to (<see cref="WebhookHttp"/>), so a name that resolves elsewhere later (DNS rebinding) is refused too.
/// </summary>
public static class WebhookAddressPolicy
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0                                     // "this network"
                     || b[0] == 10                                 // private
                     || b[0] == 100 && b[1] is >= 64 and <= 127    // carrier-grade NAT
                     || b[0] == 169 && b[1] == 254                 // link-local, cloud metadata
                     || b[0] == 172 && b[1] is >= 16 and <= 31     // private
                     || b[0] == 192 && b[1] == 0 && b[2] is 0 or 2 // IETF protocol assignments, documentation
                     || b[0] == 192 && b[1] == 168                 // private
                     || b[0] == 198 && b[1] is 18 or 19            // benchmarking
                     || b[0] == 198 && b[1] == 51 && b[2] == 100   // documentation
                     || b[0] == 203 && b[1] == 0 && b[2] == 113    // documentation
                     || b[0] >= 224);                              // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
                     || address.IsIPv6Multicast || (b[0] & 0xfe) == 0xfc        // unique local fc00::/7
                     || b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 // documentation 2001:db8::/32
                     || b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b);  // NAT64 64:ff9b::/96
        }
        return false;
    }
}
