using Microsoft.Net.Http.Headers;

namespace Purchases.Infrastructure.Api;

public static class JsonContentType
{
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A body that is not declared as JSON gets 415 with the contract's JSON body, after authentication
    /// (FastEndpoints would answer a bare 415 itself).
    /// </summary>
    public static Task RequireForBodies(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        return hasBody && context.GetEndpoint() is not null && !IsJson(request.ContentType)
            ? ApiErrors.WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, ApiErrors.UnsupportedMediaType)
            : next(context);
    }
}
