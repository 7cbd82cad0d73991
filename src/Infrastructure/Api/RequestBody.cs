using System.Buffers;

namespace Purchases.Infrastructure.Api;

/// <summary>Why a body was refused before it was read as JSON (413, 415).</summary>
public sealed record BodyRejection(int Status, string Message);

/// <summary>
/// A request body in an array rented from the shared pool: a year-long schedule is 1.75 MB, and a fresh array of that
/// size per request is large-object garbage that only a full collection returns. Dispose it once the body is parsed.
/// </summary>
public sealed class PooledBody(byte[] rented, int length) : IDisposable
{
    byte[]? _rented = rented;

    public ReadOnlyMemory<byte> Memory => (_rented ?? throw new ObjectDisposedException(nameof(PooledBody))).AsMemory(0, length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _rented, null) is { } array) ArrayPool<byte>.Shared.Return(array);
    }
}

/// <summary>Reads a JSON request body whole, refusing a wrong Content-Type (415) or more than the limit (413).</summary>
public static class RequestBody
{
    public static async Task<(PooledBody? Body, BodyRejection? Rejection)> ReadJsonAsync(
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
                var length = (int)read.Buffer.Length;
                var rented = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                read.Buffer.CopyTo(rented);
                reader.AdvanceTo(read.Buffer.End);
                return (new PooledBody(rented, length), null);
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
