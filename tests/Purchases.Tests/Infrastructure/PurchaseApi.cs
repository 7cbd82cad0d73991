using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Purchases.Tests.Infrastructure;

/// <summary>Arranging purchases through the API itself.</summary>
public static class PurchaseApi
{
    public const string OneDay = """{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 12.0}, {"datetime": "2025-11-11 00:30", "purchase": 13.0}]}""";

    /// <summary>
    /// A body of <paramref name="count"/> quarter-hours from 2025-01-01 00:00 (no clock change until March), with
    /// item <paramref name="index"/> replaced by <paramref name="item"/>: a refusal after many rows were copied.
    /// </summary>
    public static string QuarterHoursWith(int count, int index, string item) =>
        "{\"purchase\": [" + string.Join(',', Enumerable.Range(0, count).Select(q => q == index ? item :
            $$"""{"datetime": "{{new DateTime(2025, 1, 1).AddMinutes(15 * q):yyyy-MM-dd HH:mm}}", "purchase": 1}""")) + "]}";

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        return client;
    }

    public static async Task<Guid> SubmitAsync(this HttpClient client, string user, string retailerId = "123")
    {
        var response = await client.PostAsync($"/api/v0/user/{user}/submit-purchase?retailer_id={retailerId}",
            new StringContent(OneDay, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("id").GetGuid();
    }

    public static Task<HttpResponseMessage> UpdateAsync(this HttpClient client, string user, object purchaseId, string body) =>
        client.PutAsync($"/api/v0/user/{user}/purchase/{purchaseId}/update", new StringContent(body, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> GetPurchaseAsync(this HttpClient client, string user, object purchaseId, string query = "") =>
        client.GetAsync($"/api/v0/user/{user}/purchase/{purchaseId}/get{query}");
}
