using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Purchases.Tests.Infrastructure;

/// <summary>Base of the API tests: a clean database before each test, and small HTTP helpers.</summary>
public abstract class ApiTest(ApiFactory api) : IAsyncLifetime
{
    protected ApiFactory Api { get; } = api;

    public virtual async ValueTask InitializeAsync() => await Api.ResetAsync();
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    protected static async Task<JsonElement> BodyOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json",
            $"expected a JSON body, got {response.Content.Headers.ContentType}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    protected static async Task AssertError(HttpResponseMessage response, int status, string message)
    {
        var body = await BodyOf(response);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(message, body.GetProperty("error").GetString());
    }

    protected static async Task AssertDetail(HttpResponseMessage response, int status, string detail)
    {
        var body = await BodyOf(response);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(detail, body.GetProperty("detail").GetString());
    }
}
