using System.Buffers.Text;
using System.Text;
using NodaTime;

namespace Purchases.Infrastructure.Api;

/// <summary>
/// Keyset position (created_at, id) of the last item of a page (outbox entries, purchases), opaque to clients. Items inserted meanwhile are
/// newer, so they never shift the pages that follow.
/// </summary>
public sealed record KeysetCursor(Instant CreatedAt, Guid Id)
{
    public override string ToString() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{CreatedAt.ToUnixTimeTicks()}:{Id:N}"));

    public static bool TryParse(string text, out KeysetCursor cursor)
    {
        cursor = null!;
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], out var ticks) || !Guid.TryParseExact(parts[1], "N", out var id))
                return false;
            cursor = new KeysetCursor(Instant.FromUnixTimeTicks(ticks), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
