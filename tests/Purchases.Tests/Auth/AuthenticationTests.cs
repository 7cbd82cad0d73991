using System.Net;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Auth;

/// <summary>The six cases of the contract's authentication table, the roles, and their order before validation.</summary>
public sealed class AuthenticationTests(ApiFactory api) : ApiTest(api)
{
    const string Url = "/api/v0/user/trebolenergia/submit-purchase?retailer_id=123";
    const string Body = """{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 12.0}]}""";
    const string NotProvided = "Authentication credentials were not provided.";

    string _token = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _token = await Api.AddCustomerAsync("trebolenergia");
    }

    async Task<HttpResponseMessage> SubmitWith(string? authorization, string body = Body, string url = Url) =>
        await Api.ClientWith(authorization).PostAsync(url, Json(body), Ct);

    async Task AssertUnauthorized(HttpResponseMessage response, string detail)
    {
        await AssertDetail(response, 401, detail);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0L, await Api.ScalarAsync<long>("SELECT count(*) FROM purchases"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Token abc")]
    [InlineData("Bearerabc")]
    public async Task No_bearer_credentials_are_not_provided(string? authorization) =>
        await AssertUnauthorized(await SubmitWith(authorization), NotProvided);

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer   ")]
    [InlineData("bearer")]
    public async Task Bearer_with_nothing_after_it_has_no_credentials(string authorization) =>
        await AssertUnauthorized(await SubmitWith(authorization), "Invalid token header. No credentials provided.");

    [Theory]
    [InlineData("Bearer abc def")]
    [InlineData("Bearer a b c")]
    public async Task Bearer_with_more_than_one_word_is_rejected(string authorization) =>
        await AssertUnauthorized(await SubmitWith(authorization), "Invalid token header. Token string should not contain spaces.");

    [Theory]
    [InlineData("Bearer\t\t{0}")]
    [InlineData("BEARER   {0}")]
    public async Task The_token_is_the_second_word_whatever_whitespace_separates_them(string format) =>
        Assert.Equal(HttpStatusCode.Created, (await SubmitWith(string.Format(format, _token))).StatusCode);

    [Fact]
    public async Task An_unknown_token_is_invalid() =>
        await AssertUnauthorized(await SubmitWith("Bearer pur_not-a-real-token"), "Invalid token.");

    [Fact]
    public async Task A_revoked_token_is_invalid()
    {
        var result = await CliProcess.RunAsync(Api.ConnectionString, "tokens", "revoke", _token);
        Assert.Equal(0, result.ExitCode);

        await AssertUnauthorized(await SubmitWith($"Bearer {_token}"), "Invalid token.");
    }

    [Fact]
    public async Task A_token_revoked_after_use_is_refused_at_once_although_valid_tokens_are_cached()
    {
        Assert.Equal(HttpStatusCode.Created, (await SubmitWith($"Bearer {_token}")).StatusCode);

        Assert.Equal(0, (await CliProcess.RunAsync(Api.ConnectionString, "tokens", "revoke", _token)).ExitCode);

        await AssertDetail(await SubmitWith($"Bearer {_token}"), 401, "Invalid token.");
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    public async Task The_scheme_word_is_case_insensitive(string scheme) =>
        Assert.Equal(HttpStatusCode.Created, (await SubmitWith($"{scheme} {_token}")).StatusCode);

    [Fact]
    public async Task A_customer_token_for_another_user_is_forbidden()
    {
        await Api.AddCustomerAsync("othercustomer");

        var response = await SubmitWith($"Bearer {_token}", url: "/api/v0/user/othercustomer/submit-purchase?retailer_id=1");

        await AssertDetail(response, 403, "You do not have permission to perform this action.");
        Assert.Equal(0L, await Api.ScalarAsync<long>("SELECT count(*) FROM purchases"));
    }

    [Fact]
    public async Task A_worker_may_not_submit()
    {
        var worker = await Api.IssueTokenAsync("worker", "argo");

        await AssertDetail(await SubmitWith($"Bearer {worker}"), 403, "You do not have permission to perform this action.");
    }

    [Fact]
    public async Task An_operator_may_submit_for_any_user()
    {
        var operatorToken = await Api.IssueTokenAsync("operator", "ops");

        var response = await SubmitWith($"Bearer {operatorToken}", url: "/api/v0/user/someone/submit-purchase?retailer_id=9");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("someone", await Api.ScalarAsync<string>("SELECT \"user\" FROM purchases"));
    }

    [Fact]
    public async Task Authentication_comes_before_validation() =>
        await AssertUnauthorized(await SubmitWith(null, body: "not json", url: "/api/v0/user/trebolenergia/submit-purchase"), NotProvided);

    [Fact]
    public async Task Authentication_comes_before_the_content_type_check()
    {
        var response = await Api.ClientWith(null).PostAsync(Url, new StringContent("x"), Ct);

        await AssertUnauthorized(response, NotProvided);
    }

    [Fact]
    public async Task Permission_comes_before_validation() =>
        await AssertDetail(await SubmitWith($"Bearer {_token}", body: "not json", url: "/api/v0/user/othercustomer/submit-purchase"),
            403, "You do not have permission to perform this action.");

    [Fact]
    public async Task Tokens_are_stored_only_as_hashes()
    {
        Assert.Equal(0L, await Api.ScalarAsync<long>(
            "SELECT count(*) FROM api_tokens WHERE position(convert_to($1, 'UTF8') in token_hash) > 0 OR encode(token_hash, 'escape') LIKE '%' || $1 || '%'",
            _token));
        Assert.Equal(32, await Api.ScalarAsync<int>("SELECT length(token_hash) FROM api_tokens"));
    }
}
