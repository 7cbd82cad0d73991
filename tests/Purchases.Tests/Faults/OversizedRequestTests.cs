using System.Diagnostics;
using System.Net;
using System.Text;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Faults;

/// <summary>
/// The service process on its own database, with every SQL statement logged by PostgreSQL (<c>log_statement =
/// 'all'</c>), so a test can tell whether a request reached the database at all.
/// </summary>
public sealed class OversizedRequestsFixture : IAsyncLifetime
{
    public const string User = "bulky";
    FaultDatabase database = null!;

    public ServiceProcess Service { get; private set; } = null!;
    public string Token { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        database = await FaultDatabase.StartAsync();
        Token = await database.AddCustomerAsync(User);
        await database.ExecuteAsync("ALTER SYSTEM SET log_statement = 'all'");
        await database.ExecuteAsync("SELECT pg_reload_conf()");
        // No Argo and no polling: nothing in the background queries the database while a test counts statements.
        Service = await ServiceProcess.StartAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["Outbox:PollInterval"] = "01:00:00",
            ["RateLimiting:Enabled"] = "false",
        });
    }

    /// <summary>
    /// How many statements reading <c>api_tokens</c> (the token look-up every API request starts with) the server has
    /// logged, in the log file that <see cref="Purchases.Infrastructure.LocalPostgres.LocalPostgresCluster"/> gives
    /// <c>pg_ctl -l</c>.
    /// </summary>
    public int TokenLookups() =>
        File.ReadAllText(Path.Combine(database.Cluster.Directory, "postgres.log")).Split('\n')
            .Count(line => line.Contains("FROM api_tokens", StringComparison.Ordinal));

    /// <summary>
    /// A token the service has never seen, so its first use must be looked up in the database (the service caches
    /// look-ups for a few seconds, and another test may just have used <see cref="Token"/>).
    /// </summary>
    public Task<string> FreshTokenAsync() => database.IssueTokenAsync(User);

    public Task<long> PurchaseCountAsync() => database.ScalarAsync<long>("SELECT count(*) FROM purchases");

    public async ValueTask DisposeAsync()
    {
        if (Service is not null) await Service.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
    }
}

/// <summary>
/// Issue 8, "nothing let in": huge headers and bodies are refused early by the real server (Kestrel over a socket,
/// not TestServer), before they cost the database anything or the client the upload.
/// </summary>
public sealed class OversizedRequestTests(OversizedRequestsFixture fixture) : IClassFixture<OversizedRequestsFixture>
{
    const int OverMaxBody = 32 * 1024 * 1024 + 1;

    byte[] GetPurchaseRequest(string token, string extraHeaders) => Encoding.ASCII.GetBytes(
        $"GET /api/v0/user/{OversizedRequestsFixture.User}/purchase/{Guid.NewGuid()}/get HTTP/1.1\r\n" +
        $"Host: 127.0.0.1:{fixture.Service.Port}\r\nAuthorization: Bearer {token}\r\n{extraHeaders}Connection: close\r\n\r\n");

    [Fact(Timeout = 60_000)]
    public async Task A_100_KB_header_gets_kestrels_431_and_never_reaches_the_database()
    {
        var ct = TestContext.Current.CancellationToken;
        var token = await fixture.FreshTokenAsync();
        var before = fixture.TokenLookups();

        var response = await RawHttp.SendAsync(fixture.Service.Port,
            GetPurchaseRequest(token, $"X-Padding: {new string('a', 100 * 1024)}\r\n"), TimeSpan.FromSeconds(10), ct);

        // Kestrel answers 431 itself while it parses the header block (over its 32 KB MaxRequestHeadersTotalSize),
        // before any middleware of ours runs: neither the exception handler nor the status-code pages see the request,
        // so this body cannot be the API's {"error": …} JSON (Kestrel sends none at all).
        Assert.Equal(431, response.Status);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"431 headers: {string.Join("; ", response.Headers.Select(h => $"{h.Key}: {h.Value}"))}; body: '{response.Body}'");

        await Task.Delay(300, ct);
        Assert.Equal(before, fixture.TokenLookups());

        // The control: the same request without the padding is looked up (so the count above would have moved).
        var control = await RawHttp.SendAsync(fixture.Service.Port, GetPurchaseRequest(token, ""), TimeSpan.FromSeconds(10), ct);
        Assert.Equal(404, control.Status);
        Assert.Equal("""{"error":"Purchase not found."}""", control.Body);
        var counted = before;
        for (var poll = 0; poll < 50 && counted == before; poll++)
        {
            await Task.Delay(50, ct);
            counted = fixture.TokenLookups();
        }
        Assert.True(counted > before, "the control request's token look-up was not found in PostgreSQL's log");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_content_length_over_32_MiB_gets_413_json_at_once_without_the_body_being_sent()
    {
        var ct = TestContext.Current.CancellationToken;
        var request = Encoding.ASCII.GetBytes(
            $"POST /api/v0/user/{OversizedRequestsFixture.User}/submit-purchase?retailer_id=123 HTTP/1.1\r\n" +
            $"Host: 127.0.0.1:{fixture.Service.Port}\r\nAuthorization: Bearer {fixture.Token}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {OverMaxBody}\r\n\r\n" +
            """{"purchase": [""");

        var clock = Stopwatch.StartNew();
        // Only 14 bytes of the announced 32 MiB are ever sent; the answer must not wait for the rest.
        var response = await RawHttp.SendAsync(fixture.Service.Port, request, TimeSpan.FromSeconds(10), ct);
        var elapsed = clock.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"413 after {elapsed.TotalMilliseconds:0} ms; " +
                                                        string.Join("; ", response.Headers.Select(h => $"{h.Key}: {h.Value}")));

        Assert.Equal(413, response.Status);
        Assert.StartsWith("application/json", response.Header("Content-Type"));
        Assert.Equal("""{"error":"Request body too large."}""", response.Body);
        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"the 413 took {elapsed.TotalSeconds:0.0}s");
        Assert.Equal(0L, await fixture.PurchaseCountAsync());
    }
}
