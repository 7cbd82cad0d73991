using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Purchases.Client;

/// <summary>
/// The one hand-written piece of the client: a <see cref="PurchasesClient"/> for a base URL and a bearer token.
/// Errors surface as <c>ErrorBody</c> (400, 404, 409, 413, 415, 500, 503) or <c>DetailBody</c> (401, 403)
/// exceptions whose <c>Message</c> is the API's message.
/// </summary>
public static class PurchasesClientFactory
{
    /// <param name="baseUrl">The service, e.g. <c>https://purchases.example.com</c>.</param>
    /// <param name="token">A bearer token issued with the service's CLI.</param>
    /// <param name="httpClient">Optional; by default Kiota's own, with its retry handler (send an
    /// <c>Idempotency-Key</c> when a submit may be retried).</param>
    public static PurchasesClient Create(string baseUrl, string token, HttpClient? httpClient = null) =>
        new(new HttpClientRequestAdapter(new BearerToken(token), httpClient: httpClient ?? KiotaClientFactory.Create())
        {
            BaseUrl = baseUrl.TrimEnd('/'),
        });

    sealed class BearerToken(string token) : IAuthenticationProvider
    {
        public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? context = null,
            CancellationToken cancellationToken = default)
        {
            request.Headers.Add("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        }
    }
}
