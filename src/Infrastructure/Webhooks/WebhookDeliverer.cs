using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;

namespace Purchases.Infrastructure.Webhooks;

/// <summary>
/// Sends one delivery (an outbox entry of kind <c>webhook.delivery</c>) to its endpoint, signed with the endpoint's
/// secret (and the previous one during a rotation's grace). A 2xx answer is delivered; anything else, a timeout or a
/// refused address is an attempt to retry (the outbox's backoff, <c>Retry-After</c> honoured); a removed endpoint
/// fails the delivery at once. Only the receiver's status and a short excerpt of its answer are kept.
/// </summary>
public sealed class WebhookDeliverer(
    NpgsqlDataSource dataSource, IHttpClientFactory clients, WebhookSecrets secrets, IOptions<WebhookOptions> options)
{
    public const int ExcerptLength = 500;
    public const string EndpointRemoved = "the webhook endpoint was removed";

    /// <summary>An endpoint as a batch sends to it: its signing secrets, decrypted once for the batch (none: removed).</summary>
    public sealed record Target(Guid Id, string Url, IReadOnlyList<string> Secrets);

    public abstract record Outcome
    {
        public sealed record Delivered(int Status) : Outcome;
        public sealed record Failed(int? Status, string Error, TimeSpan? RetryAfter, bool Final) : Outcome;
    }

    /// <summary>The endpoints of a batch's deliveries, by id, in one query; the previous secret while it is in its grace.</summary>
    public async Task<Dictionary<Guid, Target>> TargetsAsync(IReadOnlyCollection<Guid> ids, Instant now, CancellationToken ct)
    {
        var targets = new Dictionary<Guid, Target>();
        if (ids.Count == 0) return targets;
        await using var command = dataSource.CreateCommand("""
            SELECT id, url, protected_secret, protected_previous_secret, previous_secret_expires_at, deleted_at IS NOT NULL
            FROM webhook_endpoints WHERE id = ANY($1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var signing = new List<string>();
            if (!reader.GetBoolean(5) && !reader.IsDBNull(2))
            {
                signing.Add(secrets.Unprotect(reader.GetString(2)));
                if (!reader.IsDBNull(3) && !reader.IsDBNull(4) && reader.GetFieldValue<Instant>(4) > now)
                    signing.Add(secrets.Unprotect(reader.GetString(3)));
            }
            targets[reader.GetGuid(0)] = new Target(reader.GetGuid(0), reader.GetString(1), signing);
        }
        return targets;
    }

    public async Task<Outcome> DeliverAsync(Guid deliveryId, string payload, Target? target, Instant now)
    {
        if (target is not { Secrets.Count: > 0 })
            return new Outcome.Failed(null, EndpointRemoved, null, Final: true);

        var messageId = deliveryId.ToString("D");
        var timestamp = now.ToDateTimeOffset();
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString());
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(target.Secrets, messageId, timestamp, payload));

        try
        {
            using var response = await clients.CreateClient(WebhookHttp.ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, CancellationToken.None);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return new Outcome.Delivered(status);
            var excerpt = await ExcerptAsync(response);
            return new Outcome.Failed(status, $"HTTP {status}" + (excerpt.Length > 0 ? $": {excerpt}" : ""),
                RetryAfter(response.Headers.RetryAfter, now), Final: false);
        }
        catch (TaskCanceledException)
        {
            return new Outcome.Failed(null, $"timeout after {options.Value.Timeout.TotalSeconds:0.###}s", null, Final: false);
        }
        catch (HttpRequestException e)
        {
            return new Outcome.Failed(null, e.InnerException?.Message is { } inner ? $"{e.Message} ({inner})" : e.Message,
                null, Final: false);
        }
    }

    /// <summary>At most <see cref="ExcerptLength"/> characters of the answer; the rest is never read.</summary>
    static async Task<string> ExcerptAsync(HttpResponseMessage response)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new char[ExcerptLength];
            using var reader = new StreamReader(body, Encoding.UTF8);
            var read = await reader.ReadBlockAsync(buffer.AsMemory());
            return new string(buffer, 0, read).ReplaceLineEndings(" ").Trim();
        }
        catch (Exception e) when (e is IOException or HttpRequestException or TaskCanceledException)
        {
            return "";
        }
    }

    static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, Instant now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - now.ToDateTimeOffset() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
