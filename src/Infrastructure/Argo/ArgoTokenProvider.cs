using Microsoft.Kiota.Abstractions.Authentication;

namespace Purchases.Infrastructure.Argo;

/// <summary>The bearer token from Argo:Token, or from Argo:TokenFile read at each call. Only sent to the Argo host.</summary>
sealed class ArgoTokenProvider(ArgoOptions options) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new([options.BaseUrl!.Host]);

    public async Task<string> GetAuthorizationTokenAsync(
        Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        if (!AllowedHostsValidator.IsUrlHostValid(uri)) return string.Empty;
        var token = options.Token ?? await File.ReadAllTextAsync(options.TokenFile!, cancellationToken);
        token = token.Trim();
        // Kiota prepends "Bearer " itself; Argo's docs show tokens that already carry it.
        return token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? token[7..].Trim() : token;
    }
}
