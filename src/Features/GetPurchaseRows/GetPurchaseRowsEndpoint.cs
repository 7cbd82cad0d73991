using FastEndpoints;
using Npgsql;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Api.OpenApi;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Features.GetPurchaseRows;

/// <summary>
/// Every stored row of a purchase, streamed as JSON or CSV (<see cref="RowsFormats"/>): a year of 35,040 rows is
/// written as PostgreSQL returns it, never held whole. A fault after the first bytes can only cut the answer short,
/// which a client sees as a JSON or CSV body that does not end as it should.
/// </summary>
public sealed class GetPurchaseRowsEndpoint(ReadReplica reads) : Endpoint<GetPurchaseRowsRequest>
{
    public const string NotAcceptable = "Accept must allow application/json or text/csv.";

    /// <summary>The purchase, in the database that has it (its rows were committed with it).</summary>
    sealed record Stored(NpgsqlDataSource Database, int RowsUploaded);

    public override void Configure()
    {
        Get("user/{user}/purchase/{purchase_id}/rows");
        Policies(AccessPolicies.ReadOrReportForUser);
        Options(b => b.WithMetadata(new InternalErrorMessage("Internal server error while retrieving purchase rows."),
            new AlternativeResponse(RowsFormats.Csv,
                "position,datetime,utc,purchase\r\n0,2025-11-11 00:00,2025-11-10T23:00:00Z,12.0\r\n1,2025-11-11 00:15,2025-11-10T23:15:00Z,12.50\r\n")));
        Description(b => b.WithTags(ApiDocs.PurchasesTag));
    }

    public override async Task HandleAsync(GetPurchaseRowsRequest req, CancellationToken ct)
    {
        var format = RowsFormats.Negotiate(HttpContext.Request.Headers.Accept);
        if (format == RowsFormat.NotAcceptable)
        {
            await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status406NotAcceptable, NotAcceptable);
            return;
        }
        var stored = Guid.TryParseExact(req.PurchaseId, "D", out var id)
            ? await reads.FindAsync((id, req.User, ct), static (d, s) => FindAsync(d, s.id, s.User, s.ct))
            : null;
        if (stored is null)
        {
            await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status404NotFound, ApiErrors.PurchaseNotFound);
            return;
        }

        await using var rows = await StoredRowsReader.OpenAsync(stored.Database, id, ct);
        var response = HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.Vary = "Accept";
        if (format == RowsFormat.Csv)
        {
            response.ContentType = "text/csv; charset=utf-8; header=present";
            response.Headers.ContentDisposition = $"attachment; filename=\"purchase-{id}-rows.csv\"";
            await response.StartAsync(ct);
            await RowsCsvWriter.WriteAsync(response.Body, rows, ct);
        }
        else
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.StartAsync(ct);
            await RowsJsonWriter.WriteAsync(response.BodyWriter, id, stored.RowsUploaded, rows, ct);
        }
    }

    static async Task<Stored?> FindAsync(NpgsqlDataSource database, Guid id, string user, CancellationToken ct)
    {
        await using var command = database.CreateCommand("""SELECT rows_uploaded FROM purchases WHERE id = $1 AND "user" = $2""");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        return await command.ExecuteScalarAsync(ct) is int rowsUploaded ? new Stored(database, rowsUploaded) : null;
    }
}
