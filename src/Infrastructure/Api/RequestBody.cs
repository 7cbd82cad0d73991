using System.Buffers;

namespace Purchases.Infrastructure.Api;

/// <summary>Why a body was refused before it was read as JSON (413, 415).</summary>
public sealed record BodyRejection(int Status, string Message);

/// <summary>
/// A request body in a rented array: a year-long schedule is 1.75 MB, and a fresh array of that size per request is
/// large-object garbage that only a full collection returns. Dispose it once the body is no longer read.
/// </summary>
public sealed class PooledBody(byte[] rented, int length) : IDisposable
{
    internal static readonly ArrayPool<byte> Pool = new BoundedArrayPool<byte>(64 * 1024 * 1024);

    byte[]? _rented = rented;

    public ReadOnlyMemory<byte> Memory => (_rented ?? throw new ObjectDisposedException(nameof(PooledBody))).AsMemory(0, length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _rented, null) is { } array) PooledBody.Pool.Return(array);
    }
}

/// <summary>Reads a JSON request body whole, refusing a wrong Content-Type (415) or more than the limit (413).</summary>
public static class RequestBody
{
    // What a declared Content-Length may make us rent before the bytes arrive; beyond it the array grows as they do.
    const int MaxUpfront = 2 * 1024 * 1024;

    public static async Task<(PooledBody? Body, BodyRejection? Rejection)> ReadJsonAsync(
        HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (!JsonContentType.IsJson(request.ContentType))
            return (null, new BodyRejection(StatusCodes.Status415UnsupportedMediaType, ApiErrors.UnsupportedMediaType));
        var tooLarge = new BodyRejection(StatusCodes.Status413PayloadTooLarge, ApiErrors.BodyTooLarge);
        if (request.ContentLength > maxBytes)
            return (null, tooLarge);

        // Copied out of the pipe as it arrives, so Kestrel's buffers never hold a whole large body.
        var reader = request.BodyReader;
        var body = PooledBody.Pool.Rent((int)Math.Clamp(request.ContentLength ?? 0, 4096, MaxUpfront));
        var length = 0;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(ct);
                var buffer = read.Buffer;
                if (length + buffer.Length > maxBytes)
                {
                    reader.AdvanceTo(buffer.End);
                    PooledBody.Pool.Return(body);
                    return (null, tooLarge);
                }
                if (length + buffer.Length > body.Length)
                    body = Grow(body, length, (int)(length + buffer.Length));
                buffer.CopyTo(body.AsSpan(length));
                length += (int)buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (read.IsCompleted) return (new PooledBody(body, length), null);
            }
        }
        catch
        {
            PooledBody.Pool.Return(body);
            throw;
        }
    }

    static byte[] Grow(byte[] body, int length, int needed)
    {
        var larger = PooledBody.Pool.Rent(Math.Max(needed, body.Length * 2));
        body.AsSpan(0, length).CopyTo(larger);
        PooledBody.Pool.Return(body);
        return larger;
    }
}
