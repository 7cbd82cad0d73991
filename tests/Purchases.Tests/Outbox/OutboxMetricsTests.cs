using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Outbox;

public sealed class OutboxMetricsTests(ApiFactory api, DrainingApiFactory draining) : ApiTest(api), IClassFixture<DrainingApiFactory>
{
    sealed record Measured(string Instrument, double Value, string? Result);

    [Fact]
    public async Task A_submission_is_measured_on_the_Purchases_Outbox_meter()
    {
        draining.Argo.Reset();
        var meters = draining.Services.GetRequiredService<IMeterFactory>();
        var measured = new ConcurrentBag<Measured>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Purchases.Outbox" && ReferenceEquals(instrument.Meter.Scope, meters))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => measured.Add(new(i.Name, value, ResultOf(tags))));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => measured.Add(new(i.Name, value, ResultOf(tags))));
        listener.Start();
        var token = await Api.AddCustomerAsync("trebolenergia");

        var id = await draining.CreateClient().WithToken(token).SubmitAsync("trebolenergia");
        await draining.Argo.WaitForWorkflowAsync($"purchase-{id}", TimeSpan.FromSeconds(15));
        var waited = Stopwatch.StartNew();
        while (!measured.Any(m => m.Instrument == "purchases.outbox.lag") && waited.Elapsed < TimeSpan.FromSeconds(5))
            await Task.Delay(20, Ct);

        Assert.Contains(measured, m => m is { Instrument: "purchases.outbox.submissions", Value: 1, Result: "created" });
        Assert.Contains(measured, m => m.Instrument == "purchases.outbox.argo.duration" && m.Value is > 0 and < 5);
        Assert.Contains(measured, m => m.Instrument == "purchases.outbox.lag" && m.Value is >= 0 and < 5);
    }

    static string? ResultOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
            if (tag.Key == "result") return tag.Value as string;
        return null;
    }
}
