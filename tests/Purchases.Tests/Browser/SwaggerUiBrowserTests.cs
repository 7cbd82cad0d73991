using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Browser;

/// <summary>
/// A person trying the API in Swagger UI: a real headless Chromium against the service on a real loopback port
/// authorizes with a customer token, submits the seed purchase with "Try it out" and sees the 201.
/// Needs <c>/usr/bin/chromium</c> (Debian: <c>apt-get install -y chromium</c>); skipped when it is missing.
/// </summary>
public sealed class SwaggerUiBrowserTests(ApiFactory api, KestrelApiFactory server)
    : IClassFixture<KestrelApiFactory>, IAsyncLifetime
{
    const string ChromiumPath = "/usr/bin/chromium";
    const string User = "trebolenergia";
    const string RetailerId = "123";
    const string SubmitPath = "/api/v0/user/{user}/submit-purchase";
    const string SeedBody =
        """{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 12.0}, {"datetime": "2025-11-11 00:30", "purchase": 13.0}]}""";

    /// <summary>Per step; the whole test is bounded by the <see cref="FactAttribute.Timeout"/>.</summary>
    const float StepTimeoutMs = 30_000;

    static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--no-proxy-server",
    ];

    public async ValueTask InitializeAsync() => await api.ResetAsync();
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact(Timeout = 60_000)]
    public async Task A_customer_authorizes_and_submits_the_seed_purchase_with_try_it_out()
    {
        if (!File.Exists(ChromiumPath))
            Assert.Skip($"{ChromiumPath} is not installed (apt-get install -y chromium).");

        var ct = TestContext.Current.CancellationToken;
        var token = await api.AddCustomerAsync(User);

        // Never let Playwright fetch browsers: we bring our own Chromium.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = StepTimeoutMs,
        });
        // On the test's timeout (or cancellation) the browser goes, and with it whatever step is waiting.
        await using var closeOnCancel = ct.Register(() => _ = browser.CloseAsync());
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(StepTimeoutMs);
        page.SetDefaultNavigationTimeout(StepTimeoutMs);
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        var passed = false;
        try
        {
            // 1. Swagger UI, with the document loaded and rendered.
            await page.GotoAsync($"{server.BaseAddress}/swagger");
            var document = await OpenApiDocumentAsync(ct);
            await Expect(page.Locator(".swagger-ui .information-container")).ToBeVisibleAsync(Visible());
            await Expect(page.Locator(".swagger-ui .opblock-tag-section").First).ToBeVisibleAsync(Visible());

            // 2. Authorize with the customer token through the Bearer scheme.
            var authorizeButton = page.Locator(".swagger-ui .auth-wrapper > button.btn.authorize");
            if (await authorizeButton.CountAsync() == 0)
                Assert.Fail("Swagger UI shows no \"Authorize\" button: the OpenAPI document declares no security scheme " +
                            $"(components.securitySchemes = {document["components"]?["securitySchemes"]?.ToJsonString() ?? "absent"}). " +
                            "The Bearer scheme the contract asks for is not in /swagger/v0/swagger.json yet.");
            await authorizeButton.ClickAsync();
            var dialog = page.Locator(".swagger-ui .dialog-ux .modal-ux");
            await Expect(dialog).ToBeVisibleAsync(Visible());
            var bearer = BearerSchemeIn(document)
                         ?? throw FailNow("The OpenAPI document has security schemes but none of type http/bearer: " +
                                          document["components"]?["securitySchemes"]?.ToJsonString());
            // Each http/bearer scheme is a <div> headed "<h4><code>name</code> (http, Bearer)</h4>", with its "Value:" field.
            var scheme = dialog.Locator("div:has(> h4 > code)").Filter(new LocatorFilterOptions
            {
                Has = page.Locator("h4 > code", new PageLocatorOptions { HasTextRegex = new Regex($"^\\s*{Regex.Escape(bearer)}\\s*$") }),
            }).Filter(new LocatorFilterOptions { HasText = "(http, Bearer)" }).First;
            await scheme.Locator("input#auth-bearer-value, input[aria-label=\"auth-bearer-value\"], input[type=text]").First.FillAsync(token);
            await dialog.Locator(".auth-btn-wrapper button.authorize").First.ClickAsync();
            // Authorized: the field gives way to " ****** " and an "Authorized" mark.
            await Expect(scheme.Locator("h6", new LocatorLocatorOptions { HasText = "Authorized" })).ToBeVisibleAsync(Visible());
            await dialog.Locator("button.btn-done, button.close-modal").First.ClickAsync();
            await Expect(dialog).ToBeHiddenAsync(new LocatorAssertionsToBeHiddenOptions { Timeout = StepTimeoutMs });
            await Expect(authorizeButton).ToHaveClassAsync(new Regex(@"\blocked\b"), new LocatorAssertionsToHaveClassOptions { Timeout = StepTimeoutMs });

            // 3. The submit operation: expand, "Try it out", fill the parameters and the body, "Execute".
            var operation = page.Locator(
                $".swagger-ui .opblock.opblock-post:has(.opblock-summary-path[data-path=\"{SubmitPath}\"])").First;
            // Tags start collapsed: open the submit operation's tag (every collapsed one, if the document has no tag for it).
            var tag = (string?)document["paths"]?[SubmitPath]?["post"]?["tags"]?[0];
            var closed = await page.Locator(".swagger-ui .opblock-tag-section:not(.is-open) > .opblock-tag")
                .EvaluateAllAsync<string[]>("tags => tags.map(t => t.dataset.tag)");
            foreach (var name in closed.Where(name => tag is null || name == tag))
                await page.Locator($".swagger-ui .opblock-tag[data-tag=\"{name}\"]").ClickAsync();
            await Expect(operation).ToBeVisibleAsync(Visible());
            if (!await operation.Locator(".opblock-body").IsVisibleAsync())
                await operation.Locator(".opblock-summary-control, .opblock-summary-path").First.ClickAsync();
            await Expect(operation.Locator(".opblock-body")).ToBeVisibleAsync(Visible());
            await Expect(operation.Locator(".responses-wrapper")).ToBeVisibleAsync(Visible());
            await TryItOutAsync(operation);

            var userInput = operation.Locator("tr[data-param-name=\"user\"][data-param-in=\"path\"] input");
            var retailerRow = operation.Locator("tr[data-param-name=\"retailer_id\"][data-param-in=\"query\"]");
            if (await retailerRow.CountAsync() == 0)
                Assert.Fail($"POST {SubmitPath} has no query parameter \"retailer_id\" in the OpenAPI document " +
                            $"(parameters: {document["paths"]?[SubmitPath]?["post"]?["parameters"]?.ToJsonString() ?? "absent"}), " +
                            "so Swagger UI cannot send it.");
            await userInput.FillAsync(User);
            await retailerRow.Locator("input").FillAsync(RetailerId);

            if (document["paths"]?[SubmitPath]?["post"]?["requestBody"] is null)
                Assert.Fail($"POST {SubmitPath} has no requestBody in the OpenAPI document, so Swagger UI offers no body to send.");
            var body = operation.Locator(".opblock-section-request-body textarea.body-param__text, .body-param textarea").First;
            await Expect(body).ToBeVisibleAsync(Visible());
            var prefilled = SameJson(await body.InputValueAsync(), SeedBody);
            TestContext.Current.SendDiagnosticMessage(prefilled
                ? "Request body: prefilled with the seed example."
                : "Request body: not prefilled with the seed example; typed in.");
            if (!prefilled)
                await body.FillAsync(SeedBody);

            await operation.Locator(".execute-wrapper button.execute, button.execute").First.ClickAsync();

            // 4. The live response: 201 with the created purchase.
            var live = operation.Locator(".responses-wrapper .live-responses-table");
            await Expect(live).ToBeVisibleAsync(Visible());
            var status = live.Locator("tbody .response .response-col_status").First;
            await Expect(status).ToHaveTextAsync(new Regex(@"^\s*\d{3}"), new LocatorAssertionsToHaveTextOptions { Timeout = StepTimeoutMs });
            var liveText = await live.InnerTextAsync();
            var requestUrl = await operation.Locator(".request-url").InnerTextAsync();
            Assert.True((await status.InnerTextAsync()).Trim() == "201",
                $"expected 201 from {requestUrl.Trim()}, the live response section shows:\n{liveText}");
            Assert.Contains("\"rows_uploaded\": 2", liveText);
            Assert.Matches(new Regex("\"id\": \"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\""), liveText);
            Assert.Contains($"retailer_id={RetailerId}", requestUrl);

            Assert.Equal(1L, await api.ScalarAsync<long>("SELECT count(*) FROM purchases"));
            Assert.Equal(2L, await api.ScalarAsync<long>("SELECT count(*) FROM purchase_rows"));
            Assert.Empty(pageErrors);
            passed = true;
        }
        finally
        {
            // 5. The evidence, also when a step failed (then with the page's HTML beside it).
            await SaveEvidenceAsync(page, withHtml: !passed);
        }
    }

    /// <summary>
    /// "Try it out", until the operation is really in try-out mode ("Cancel" shown, fields enabled): a click that lands
    /// while Swagger UI is still resolving the freshly opened operation can be lost in its re-render.
    /// </summary>
    static async Task TryItOutAsync(ILocator operation)
    {
        var button = operation.Locator("button.try-out__btn");
        var deadline = DateTime.UtcNow.AddMilliseconds(StepTimeoutMs);
        while (true)
        {
            if (!await button.EvaluateAsync<bool>("b => b.classList.contains('cancel')"))
                await button.ClickAsync();
            try
            {
                await Expect(operation.Locator("button.try-out__btn.cancel")).ToBeVisibleAsync(new() { Timeout = 3_000 });
                return;
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException && DateTime.UtcNow < deadline)
            {
                TestContext.Current.SendDiagnosticMessage("\"Try it out\" did not take; clicking again.");
            }
        }
    }

    static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    static LocatorAssertionsToBeVisibleOptions Visible() => new() { Timeout = StepTimeoutMs };

    static Exception FailNow(string message)
    {
        Assert.Fail(message);
        return new InvalidOperationException(message);
    }

    async Task<JsonNode> OpenApiDocumentAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync("/swagger/v0/swagger.json", ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode,
            $"GET /swagger/v0/swagger.json answered {(int)response.StatusCode}, so Swagger UI has no document to show " +
            $"(the service's log has the cause): {text[..Math.Min(text.Length, 500)]}");
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("empty OpenAPI document");
    }

    /// <summary>The name of the first <c>http</c>/<c>bearer</c> security scheme, or null.</summary>
    static string? BearerSchemeIn(JsonNode document) =>
        document["components"]?["securitySchemes"]?.AsObject()
            .FirstOrDefault(s => (string?)s.Value?["type"] == "http"
                                 && string.Equals((string?)s.Value?["scheme"], "bearer", StringComparison.OrdinalIgnoreCase))
            .Key;

    static bool SameJson(string a, string b)
    {
        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    static async Task SaveEvidenceAsync(IPage page, bool withHtml)
    {
        var path = Path.Combine(RepoRoot(), "artifacts", "swagger-ui.png");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = StepTimeoutMs });
            TestContext.Current.SendDiagnosticMessage($"Swagger UI screenshot: {path}");
            var html = Path.ChangeExtension(path, ".html");
            if (withHtml)
                await File.WriteAllTextAsync(html, await page.ContentAsync());
            else
                File.Delete(html);
        }
        catch (Exception e) when (e is PlaywrightException or IOException or TimeoutException)
        {
            // Missing evidence must not hide the test's own failure.
            TestContext.Current.SendDiagnosticMessage($"no screenshot ({path}): {e.Message}");
        }
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Purchases.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no Purchases.sln above {AppContext.BaseDirectory}");
    }
}
