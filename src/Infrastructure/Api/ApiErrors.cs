using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Purchases.Infrastructure.Api;

/// <summary>Every error leaves as JSON, whichever layer produced it (routing, Kestrel, auth, an exception).</summary>
public static class ApiErrors
{
    public const string NotFound = "Not found.";
    public const string MethodNotAllowed = "Method not allowed.";
    public const string BodyTooLarge = "Request body too large.";
    public const string UnsupportedMediaType = "Content-Type must be application/json.";
    public const string InvalidJson = "Request body must be valid JSON.";
    public const string PurchaseNotFound = "Purchase not found.";
    public const string WebhookNotFound = "Webhook endpoint not found.";
    public const string Unavailable = "Service temporarily unavailable, please retry.";
    public const string Internal = "Internal server error.";
    public const int RetryAfterSeconds = 5;

    public static Task WriteAsync<TBody>(HttpContext context, int status, TBody body)
    {
        context.Response.StatusCode = status;
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return context.Response.WriteAsJsonAsync(body, options, "application/json", context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteAsync(context, status, new ErrorBody(message));

    /// <summary>Gives a body to the empty answers of routing and the framework (404, 405, 413, 415, …).</summary>
    public static Task WriteStatusCodeBodyAsync(StatusCodeContext statusContext)
    {
        var context = statusContext.HttpContext;
        var message = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => NotFound,
            StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
            StatusCodes.Status413PayloadTooLarge => BodyTooLarge,
            StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
            StatusCodes.Status503ServiceUnavailable => Unavailable,
            >= 500 => Internal,
            _ => "Bad request.",
        };
        return WriteErrorAsync(context, context.Response.StatusCode, message);
    }

    /// <summary>An unhandled exception: 503 when the database is unreachable, else the endpoint's own 500 message.</summary>
    public static Task HandleExceptionAsync(HttpContext context)
    {
        var feature = context.Features.Get<IExceptionHandlerFeature>();
        switch (feature?.Error)
        {
            case var e when IsDatabaseUnavailable(e):
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiErrors))
                    .LogWarning("Database unavailable, answered 503: {Reason}", e!.GetBaseException().Message);
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
                return WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, Unavailable);
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, BodyTooLarge);
            case BadHttpRequestException bad:
                return WriteErrorAsync(context, bad.StatusCode, "Bad request.");
            default:
                var message = feature?.Endpoint?.Metadata.GetMetadata<InternalErrorMessage>()?.Message ?? Internal;
                return WriteErrorAsync(context, StatusCodes.Status500InternalServerError, message);
        }
    }

    /// <summary>Connection failures and server shutdowns, as opposed to faults in what we asked the database.</summary>
    public static bool IsDatabaseUnavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300";
                case NpgsqlException { IsTransient: true }:
                case System.Net.Sockets.SocketException:
                    return true;
            }
        }
        return false;
    }
}
