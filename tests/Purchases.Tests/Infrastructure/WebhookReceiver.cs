using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Purchases.Tests.Infrastructure;

/// <summary>
/// A retailer's webhook receiver: a real HTTP server on loopback that records every request and answers as told
/// (200, an error status, 429 with Retry-After, or slowly). It may be "down" (its port chosen, nothing listening)
/// until <see cref="StartAsync"/>. Deduplicates by <c>webhook-id</c>, as the Standard Webhooks receivers should.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Id, string Timestamp, string Signature, string Body, string? TraceParent);

    WebApplication? app;
    public int Port { get; } = FreePort();
    public string Url => $"http://127.0.0.1:{Port}/hooks";

    /// <summary>Every request, repeats included (at least once on the wire).</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>What the receiver kept: one per <c>webhook-id</c>, in the order first seen, only from 2xx answers.</summary>
    public ConcurrentDictionary<string, Received> Accepted { get; } = new();

    public int Status { get; set; } = 200;
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;
    public string? RetryAfter { get; set; }
    public string? Location { get; set; }
    public string AnswerBody { get; set; } = "";

    public static async Task<WebhookReceiver> RunningAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        return receiver;
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port));
        app = builder.Build();
        app.MapPost("/hooks", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var received = new Received(context.Request.Headers["webhook-id"].ToString(),
                context.Request.Headers["webhook-timestamp"].ToString(), context.Request.Headers["webhook-signature"].ToString(),
                await reader.ReadToEndAsync(), context.Request.Headers["traceparent"].FirstOrDefault());
            Requests.Enqueue(received);
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
            if (RetryAfter is not null) context.Response.Headers.RetryAfter = RetryAfter;
            if (Location is not null) context.Response.Headers.Location = Location;
            if (Status is >= 200 and < 300) Accepted.TryAdd(received.Id, received);
            context.Response.StatusCode = Status;
            await context.Response.WriteAsync(AnswerBody);
        });
        await app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (app is null) return;
        await app.StopAsync();
        await app.DisposeAsync();
        app = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
