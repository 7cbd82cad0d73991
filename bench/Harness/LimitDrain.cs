using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Purchases.Bench;

/// <summary>
/// The limit of the service's drain (scenario 1's "limit with the drain", <c>/limit/submit?…&amp;drain=1</c>): what
/// moving an entry to Argo must cost, and nothing else. Woken after each commit, coalesced as the service's signal
/// is; the service's statements (a claim with a lease of a batch of 100; the submitted update, which writes each
/// purchase's next read too, here a time the service's reconciler never reaches); 8 creates at a time to the same
/// fake Argo with a body written by hand (the service's labels, annotations and parameters); the uid read from the
/// answer. No Quartz, Kiota, telemetry, logging, retries or webhooks. Its entries are due at <see cref="Due"/>, which
/// no other drain reaches, and the limit's other entries (due in 9999) are left alone.
/// </summary>
public sealed class LimitDrain(NpgsqlDataSource dataSource, HttpClient argo)
{
    public static readonly Instant Due = Instant.FromUtc(9000, 1, 1, 0, 0);
    const int BatchSize = 100, Parallelism = 8;
    static readonly MediaTypeHeaderValue Json = new("application/json");
    // The service's creates carry their trace's context (tracing is on); the same bytes here.
    const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    readonly Channel<bool> _nudges = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Nudge() => _nudges.Writer.TryWrite(true);

    public async Task RunAsync(CancellationToken ct)
    {
        while (await _nudges.Reader.WaitToReadAsync(ct))
        {
            _nudges.Reader.TryRead(out _);
            try
            {
                while (await DrainBatchAsync(ct) == BatchSize) { }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // In limits.log; what was claimed is taken again after its lease, at the next nudge.
                Console.Error.WriteLine($"limit drain: {e}");
            }
        }
    }

    async Task<int> DrainBatchAsync(CancellationToken ct)
    {
        var owner = Guid.NewGuid().ToString("N");
        var now = SystemClock.Instance.GetCurrentInstant();
        var claimed = new List<(Guid Id, Guid PurchaseId, string Name, string Payload)>();
        await using (var claim = dataSource.CreateCommand("""
            UPDATE outbox_entries SET locked_until = $1, locked_by = $2
            WHERE id IN (
                SELECT id FROM outbox_entries
                WHERE state = 'pending' AND next_attempt_at = $3 AND (locked_until IS NULL OR locked_until < $4)
                ORDER BY next_attempt_at, id
                LIMIT $5
                FOR UPDATE SKIP LOCKED)
            RETURNING id, purchase_id, workflow_name, payload::text
            """))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = now + Duration.FromMinutes(1) });
            claim.Parameters.Add(new NpgsqlParameter { Value = owner });
            claim.Parameters.Add(new NpgsqlParameter { Value = Due });
            claim.Parameters.Add(new NpgsqlParameter { Value = now });
            claim.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            await using var reader = await claim.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                claimed.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3)));
        }
        if (claimed.Count == 0) return 0;

        var accepted = new ConcurrentQueue<(Guid Id, string? Uid)>();
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (entry, token) =>
            {
                using var content = new ByteArrayContent(Workflow(entry.Name, entry.PurchaseId, entry.Payload));
                content.Headers.ContentType = Json;
                using var answer = await argo.PostAsync("/api/v1/workflows/argo", content, token);
                if (answer.IsSuccessStatusCode) accepted.Enqueue((entry.Id, UidOf(await answer.Content.ReadAsByteArrayAsync(token))));
            });

        await using var submitted = dataSource.CreateCommand("""
            WITH submitted AS (
                UPDATE outbox_entries o
                SET state = 'submitted', submitted_at = $1, updated_at = $1, argo_uid = r.uid, last_status = NULL,
                    locked_until = NULL, locked_by = NULL
                FROM unnest($2::uuid[], $3::text[]) AS r(id, uid)
                WHERE o.id = r.id AND o.locked_by = $4
                RETURNING o.id, o.kind, o.purchase_id),
            followed AS (
                UPDATE purchases p SET workflow_next_check_at = $5
                FROM submitted s
                WHERE s.kind = 'argo.workflow.create' AND p.id = s.purchase_id
                  AND p.status IN ('pending', 'in_progress') AND p.workflow_next_check_at IS NULL)
            SELECT id FROM submitted
            """);
        submitted.Parameters.Add(new NpgsqlParameter { Value = SystemClock.Instance.GetCurrentInstant() });
        submitted.Parameters.Add(new NpgsqlParameter { Value = accepted.Select(a => a.Id).ToArray() });
        submitted.Parameters.Add(new NpgsqlParameter { Value = accepted.Select(a => a.Uid).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        submitted.Parameters.Add(new NpgsqlParameter { Value = owner });
        // The service's write, at a time its reconciler never reaches: the limit's purchases are not its work.
        submitted.Parameters.Add(new NpgsqlParameter { Value = Due });
        await submitted.ExecuteNonQueryAsync(ct);
        return claimed.Count;
    }

    /// <summary>The service's create request (labels, annotations, the template and its four parameters).</summary>
    static byte[] Workflow(string name, Guid purchaseId, string payload)
    {
        using var stored = JsonDocument.Parse(payload);
        var user = stored.RootElement.GetProperty("user").GetString()!;
        var retailer = stored.RootElement.GetProperty("retailer_id").GetString()!;
        var id = purchaseId.ToString("D");
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("namespace", "argo");
            json.WriteStartObject("workflow");
            json.WriteStartObject("metadata");
            json.WriteString("name", name);
            json.WriteStartObject("labels");
            json.WriteString("purchases/purchase-id", id);
            json.WriteString("purchases/user", user);
            json.WriteString("purchases/retailer-id", retailer);
            json.WriteString("workflows.argoproj.io/workflow-template", "purchase-strategy");
            json.WriteEndObject();
            json.WriteStartObject("annotations");
            json.WriteString("purchases/user", user);
            json.WriteString("purchases/retailer-id", retailer);
            json.WriteString("purchases/traceparent", TraceParent);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("spec");
            json.WriteStartObject("workflowTemplateRef");
            json.WriteString("name", "purchase-strategy");
            json.WriteEndObject();
            json.WriteStartObject("arguments");
            json.WriteStartArray("parameters");
            foreach (var (key, value) in new[] { ("purchase_id", id), ("user", user), ("retailer_id", retailer), ("traceparent", TraceParent) })
            {
                json.WriteStartObject();
                json.WriteString("name", key);
                json.WriteString("value", value);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>metadata.uid</c> of Argo's answer, read without building a document.</summary>
    static string? UidOf(ReadOnlySpan<byte> workflow)
    {
        var reader = new Utf8JsonReader(workflow);
        var inMetadata = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName) continue;
            if (reader.CurrentDepth == 1) inMetadata = reader.ValueTextEquals("metadata"u8);
            else if (inMetadata && reader.CurrentDepth == 2 && reader.ValueTextEquals("uid"u8) && reader.Read())
                return reader.GetString();
        }
        return null;
    }
}
