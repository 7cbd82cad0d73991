using FastEndpoints.Swagger;
using NSwag;

namespace Purchases.Infrastructure.Api.OpenApi;

public static class OpenApiRegistration
{
    /// <summary>The OpenAPI document at <c>/swagger/v0/swagger.json</c> and Swagger UI at <c>/swagger</c>.</summary>
    public static WebApplicationBuilder AddOpenApiDocument(this WebApplicationBuilder builder)
    {
        builder.Services.SwaggerDocument(o =>
        {
            o.EnableJWTBearerAuth = false;
            o.ShortSchemaNames = true;
            o.AutoTagPathSegmentIndex = 0;
            o.TagDescriptions = t =>
            {
                t[ApiDocs.PurchasesTag] = "Submit purchase schedules, read them back, report strategy results.";
                t[ApiDocs.WebhooksTag] = "Be told when a purchase's status changes: signed webhook deliveries to the customer's endpoints.";
                t[ApiDocs.OperatorsTag] = "See, count and replay the outbox entries (Argo creates and webhook deliveries), retry workflows (operator tokens only).";
            };
            o.DocumentSettings = s =>
            {
                s.DocumentName = "v0";
                s.Title = "Purchases";
                s.Version = "v0";
                s.PostProcess = d => d.Info.License = new OpenApiLicense { Name = "Proprietary" };
                s.Description = "Electricity purchase schedules in, strategy results out. Every call needs " +
                                "`Authorization: Bearer <token>`; tokens are issued with the CLI (`customers add`, `tokens issue`). " +
                                "Every status, key and message is specified in the repository's API contract, " +
                                "`docs/api-contract.md`; the README adds the decisions it leaves open.";
                s.AddAuth("Bearer", new OpenApiSecurityScheme
                {
                    Type = OpenApiSecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "opaque",
                    Description = "A customer, worker or operator token from the CLI.",
                });
                s.OperationProcessors.Add(new JsonRequestBodyProcessor());
                s.OperationProcessors.Add(new AlternativeResponseProcessor());
                s.OperationProcessors.Add(new EndpointDocumentation());
                s.DocumentProcessors.Add(new UndocumentedAliases());
                s.DocumentProcessors.Add(new NullableSchemas());
                s.DocumentProcessors.Add(new PrimaryErrorMessages());
                s.DocumentProcessors.Add(new UuidFormat());
                s.MarkNonNullablePropsAsRequired();
            };
        });
        return builder;
    }

    /// <summary>
    /// Serves the document with a relative server, so it is the same whatever host it is fetched from. Its middlewares
    /// (the document, the UI's index and redirect, its static files) run only under <c>/swagger</c>, so that API
    /// requests do not pass through them.
    /// </summary>
    public static WebApplication UseOpenApiDocument(this WebApplication app)
    {
        app.UseWhen(c => c.Request.Path.StartsWithSegments(SwaggerPath), swagger => swagger.UseSwaggerGen(o => o.PostProcess = (document, _) =>
        {
            document.Servers.Clear();
            document.Servers.Add(new OpenApiServer { Url = "/", Description = "This service" });
        }));
        return app;
    }

    const string SwaggerPath = "/swagger";
}
