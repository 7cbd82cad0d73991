using FastEndpoints;
using Purchases.Infrastructure.Api.OpenApi;
using FluentValidation.Results;
using NodaTime;
using Purchases.Infrastructure.Health;
using Purchases.Infrastructure.Options;

namespace Purchases.Infrastructure.Api;

public static partial class ApiRegistration
{
    public const string RoutePrefix = "api/v0";

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PurchasesOptions>().BindConfiguration(PurchasesOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));

        // Kestrel must let the largest allowed body through; the submit binder answers 413 above it.
        var maxBody = builder.Configuration.GetValue<long?>($"{PurchasesOptions.Section}:{nameof(PurchasesOptions.MaxBodyBytes)}")
                      ?? new PurchasesOptions().MaxBodyBytes;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody + 1);

        builder.Services.AddFastEndpoints(o =>
        {
            o.Assemblies = [typeof(ApiRegistration).Assembly];
            o.DisableAutoDiscovery = true;
        });
        builder.AddOpenApiDocument();
        builder.AddRateLimiting();
        return builder;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = ApiErrors.HandleExceptionAsync,
            // An outage would log a stack trace per request; HandleExceptionAsync logs one line instead.
            SuppressDiagnosticsCallback = c => ApiErrors.IsDatabaseUnavailable(c.Exception),
        });
        app.UseStatusCodePages(ApiErrors.WriteStatusCodeBodyAsync);
        app.Use(MergeSlashes);
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(JsonContentType.RequireForBodies);
        app.UseFastEndpoints(c =>
        {
            c.Endpoints.RoutePrefix = RoutePrefix;
            // Routing would answer a wrong Content-Type with 415 before authentication; JsonContentType does it after.
            c.Endpoints.Configurator = ep => ep.Description(b => b.ClearDefaultAccepts());
            c.Binding.UsePropertyNamingPolicy = true;
            c.Binding.JsonExceptionTransformer = _ => new ValidationFailure("body", ApiErrors.InvalidJson);
            c.Errors.ResponseBuilder = (failures, _, _) => new ErrorBody(failures.FirstOrDefault()?.ErrorMessage ?? "Bad request.");
            c.Errors.ContentType = "application/json";
            c.Errors.ProducesMetadataType = typeof(ErrorBody);
        });
        app.UseOpenApiDocument();
        app.MapHealth();
        return app;
    }

    /// <summary>Like nginx's merge_slashes: <c>/user//submit-purchase</c> is routed as <c>/user/submit-purchase</c>.</summary>
    static Task MergeSlashes(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value;
        if (path is not null && path.Contains("//", StringComparison.Ordinal))
            context.Request.Path = new PathString(RepeatedSlashes().Replace(path, "/"));
        return next(context);
    }

    [System.Text.RegularExpressions.GeneratedRegex("/{2,}")]
    private static partial System.Text.RegularExpressions.Regex RepeatedSlashes();
}
