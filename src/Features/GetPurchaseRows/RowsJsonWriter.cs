using System.IO.Pipelines;
using System.Text.Json;
using NodaTime.Text;

namespace Purchases.Features.GetPurchaseRows;

/// <summary>The rows as JSON, written to the response as they are read, flushed every <see cref="FlushEvery"/> rows.</summary>
public static class RowsJsonWriter
{
    const int FlushEvery = 512;

    public static async Task WriteAsync(PipeWriter body, Guid purchaseId, int rowsUploaded, StoredRowsReader rows,
        CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteString("purchase_id", purchaseId);
        json.WriteNumber("rows_uploaded", rowsUploaded);
        json.WriteStartArray("rows");
        for (var n = 1; await rows.ReadAsync(ct); n++)
        {
            var row = rows.Current;
            json.WriteStartObject();
            json.WriteNumber("position", row.Position);
            json.WriteString("datetime", StoredRowsReader.LocalTime.Format(row.LocalTime));
            json.WriteString("utc", InstantPattern.General.Format(row.Utc));
            json.WriteNumber("purchase", row.Megawatts);
            json.WriteEndObject();
            if (n % FlushEvery == 0)
            {
                await json.FlushAsync(ct);
                await body.FlushAsync(ct);
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }
}
