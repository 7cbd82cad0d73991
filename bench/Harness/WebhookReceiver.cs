using System.Collections.Concurrent;

namespace Purchases.Bench;

/// <summary>
/// A webhook receiver that answers at once: every POST (any path) → 204 after reading its body, counted with its
/// <c>webhook-id</c>. <c>GET /_bench/count</c>: requests, distinct ids, requests without a <c>webhook-signature</c>, body bytes.
/// </summary>
public static class WebhookReceiver
{
    public static async Task<int> RunAsync(Args args)
    {
        var port = args.Int("port", 0);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();

        var ids = new ConcurrentDictionary<string, byte>();
        long requests = 0, unsigned = 0, bytes = 0;
        app.MapGet("/_bench/count", () => Results.Text(
            $"{{\"requests\":{Interlocked.Read(ref requests)},\"distinct_ids\":{ids.Count},\"unsigned\":{Interlocked.Read(ref unsigned)}," +
            $"\"bytes\":{Interlocked.Read(ref bytes)}}}", "application/json"));
        app.MapPost("/{**path}", async (HttpContext ctx) =>
        {
            Interlocked.Increment(ref requests);
            if (ctx.Request.Headers["webhook-id"].ToString() is { Length: > 0 } id) ids.TryAdd(id, 0);
            if (!ctx.Request.Headers.ContainsKey("webhook-signature")) Interlocked.Increment(ref unsigned);
            var buffer = new byte[4096];
            long read = 0;
            int n;
            while ((n = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0) read += n;
            Interlocked.Add(ref bytes, read);
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        });

        await app.RunAsync();
        return 0;
    }
}
