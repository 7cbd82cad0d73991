using CsvHelper;
using NodaTime.Text;

namespace Purchases.Features.GetPurchaseRows;

/// <summary>
/// The rows as RFC 4180 CSV (CsvHelper: CRLF, a header line, UTF-8 without BOM, quoting where needed), written to the
/// response as they are read: CsvHelper writes its 64 KiB buffer out whenever it is mostly full.
/// </summary>
public static class RowsCsvWriter
{
    static readonly string[] Header = ["position", "datetime", "utc", "purchase"];

    public static async Task WriteAsync(Stream body, StoredRowsReader rows, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, CsvWriterOptions.Default, leaveOpen: true);
        csv.WriteHeader(Header);
        while (await rows.ReadAsync(ct))
        {
            var row = rows.Current;
            csv.WriteField(row.Position, default);
            csv.WriteField(StoredRowsReader.LocalTime.Format(row.LocalTime));
            csv.WriteField(InstantPattern.General.Format(row.Utc));
            csv.WriteField(row.Megawatts, default);
            await csv.EndRecordAsync(ct);
        }
        await csv.FlushAsync(ct);
    }
}
