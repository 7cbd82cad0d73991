using System.Text.Json;
using System.Text.Json.Nodes;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.OpenApi;

/// <summary>
/// The OpenAPI document served at /swagger/v0/swagger.json is committed as clients/openapi/purchases-v0.json (the
/// typed client is generated from it, and CI lints it). Run with UPDATE_OPENAPI=1 to rewrite the file.
/// </summary>
public sealed class OpenApiDocumentTests(ApiFactory api) : ApiTest(api)
{
    public static string CommittedPath => Path.Combine(RepositoryRoot.Path, "clients", "openapi", "purchases-v0.json");

    async Task<string> ServedDocumentAsync()
    {
        var document = JsonNode.Parse(await Api.ClientWith(null).GetStringAsync("/swagger/v0/swagger.json", Ct))!;
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    [Fact]
    public async Task The_committed_document_is_the_one_the_service_serves()
    {
        var served = await ServedDocumentAsync();
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
            await File.WriteAllTextAsync(CommittedPath, served, Ct);

        Assert.True(File.Exists(CommittedPath), $"{CommittedPath} is missing: run the tests with UPDATE_OPENAPI=1");
        Assert.Equal(await File.ReadAllTextAsync(CommittedPath, Ct), served);
    }

    [Fact]
    public async Task Every_operation_has_a_summary_a_tag_the_bearer_scheme_and_examples_for_every_response()
    {
        var document = JsonNode.Parse(await ServedDocumentAsync())!;
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Op: o.Value!))).ToList();

        Assert.Equal(17, operations.Count);
        Assert.DoesNotContain(operations, o => o.Path.StartsWith("/api/v0/user/submit-purchase"));
        Assert.All(operations, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace(o.Op["summary"]?.GetValue<string>()), o.Path);
            Assert.False(string.IsNullOrWhiteSpace(o.Op["description"]?.GetValue<string>()), o.Path);
            Assert.Contains(o.Op["tags"]![0]!.GetValue<string>(), new[] { "Purchases", "Webhooks", "Operators" });
            Assert.NotNull(o.Op["security"]![0]!["Bearer"]);
            foreach (var (status, response) in o.Op["responses"]!.AsObject())
                if (status == "204") Assert.Null(response!["content"]);
                else Assert.True(response!["content"]?["application/json"]?["example"] is not null, $"{o.Path} {status} has no example");
        });
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/v0/user/{user}/submit-purchase", "post", "201 400 401 403 409 413 415 429 500 503")]
    [InlineData("/api/v0/user/{user}/submit-purchase/{retailer_id}", "post", "201 400 401 403 409 413 415 429 500 503")]
    [InlineData("/api/v0/user/{user}/purchase/{purchase_id}/update", "put", "200 400 401 403 404 413 415 429 500 503")]
    [InlineData("/api/v0/user/{user}/purchase/{purchase_id}/get", "get", "200 401 403 404 429 500 503")]
    [InlineData("/api/v0/admin/outbox", "get", "200 400 401 403 429 503")]
    [InlineData("/api/v0/admin/outbox/stats", "get", "200 401 403 429 503")]
    [InlineData("/api/v0/admin/outbox/{id}/replay", "post", "200 401 403 404 409 429 503")]
    [InlineData("/api/v0/admin/outbox/replay", "post", "200 400 401 403 429 503")]
    [InlineData("/api/v0/user/{user}/webhooks", "post", "201 400 401 403 404 409 429 503")]
    [InlineData("/api/v0/user/{user}/webhooks", "get", "200 401 403 429 503")]
    [InlineData("/api/v0/user/{user}/webhooks/{webhook_id}", "delete", "204 401 403 404 429 503")]
    [InlineData("/api/v0/user/{user}/webhooks/{webhook_id}/rotate-secret", "post", "200 401 403 404 429 503")]
    public async Task Each_operation_documents_the_contracts_statuses(string path, string method, string statuses)
    {
        var document = JsonNode.Parse(await ServedDocumentAsync())!;

        var documented = document["paths"]![path]![method]!["responses"]!.AsObject().Select(r => r.Key).Order();

        Assert.Equal(statuses.Split(' ').Order(), documented);
    }

    [Fact]
    public async Task Submit_documents_the_seed_example_the_retailer_query_and_get_the_idmodel()
    {
        var paths = JsonNode.Parse(await ServedDocumentAsync())!["paths"]!;
        var submit = paths["/api/v0/user/{user}/submit-purchase"]!["post"]!;

        Assert.Equal("2025-11-11 00:15", submit["requestBody"]!["content"]!["application/json"]!["example"]!["purchase"]![0]!["datetime"]!.GetValue<string>());
        var retailer = submit["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "retailer_id")!;
        Assert.Equal("query", retailer["in"]!.GetValue<string>());
        Assert.True(retailer["required"]!.GetValue<bool>());
        var idmodel = paths["/api/v0/user/{user}/purchase/{purchase_id}/get"]!["get"]!["parameters"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == "idmodel")!;
        Assert.False(string.IsNullOrEmpty(idmodel["description"]?.GetValue<string>()));
    }
}
