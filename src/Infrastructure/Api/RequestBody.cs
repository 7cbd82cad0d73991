using System.Buffers;

namespace Purchases.Infrastructure.Api;

/// <summary>Why a body was refused before it was read as JSON (413, 415).</summary>
public sealed record BodyRejection(int Status, string Message);

/// <summary>Reads a JSON request body whole, refusing a wrong Content-Type (415) or more than the limit (413).</summary>
public static class RequestBody
{
    public static async Task<(byte[]? Body, BodyRejection? Rejection)> ReadJsonAsync(
        HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (!JsonContentType.IsJson(request.ContentType))
            return (null, new BodyRejection(StatusCodes.Status415UnsupportedMediaType, ApiErrors.UnsupportedMediaType));
        var tooLarge = new BodyRejection(StatusCodes.Status413PayloadTooLarge, ApiErrors.BodyTooLarge);
        if (request.ContentLength > maxBytes)
            return (null, tooLarge);

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            if (read.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(read.Buffer.End);
                return (null, tooLarge);
            }
            if (read.IsCompleted)
            {
                var body = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return (body, null);
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
