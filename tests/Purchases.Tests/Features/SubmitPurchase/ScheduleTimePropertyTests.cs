using System.Net;
using CsCheck;
using NodaTime;
using NodaTime.Text;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.SubmitPurchase;

/// <summary>
/// Generated schedules around both clock changes, in any order and with repeats, against a model written with
/// NodaTime's own <c>MapLocal</c>: the service accepts exactly what the model accepts and stores the same instants,
/// and refuses the rest with the model's message (a time in the gap, or a duplicate naming its first index). The model
/// is <see cref="ReferenceScheduleModel"/>.
/// </summary>
public sealed class ScheduleTimePropertyTests(ApiFactory api) : ApiTest(api)
{
    static readonly LocalDateTimePattern Pattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm");

    // Quarter-hours from 00:00 to 04:45 on the spring-forward day, the fall-back day and an ordinary one.
    static readonly Gen<LocalDateTime> NearAClockChange = Gen.Select(
        Gen.OneOf(new LocalDate(2025, 3, 30), new LocalDate(2025, 10, 26), new LocalDate(2025, 11, 11)),
        Gen.Int[0, 19],
        (day, quarter) => day.At(new LocalTime(quarter / 4, quarter % 4 * 15)));

    // Mostly a run in order (as clients send them) with a few items swapped or repeated.
    static readonly Gen<LocalDateTime[]> Schedule = Gen.Frequency(
        (2, NearAClockChange.Array[1, 12]),
        (2, Gen.Select(Gen.OneOf(new LocalDate(2025, 10, 26), new LocalDate(2025, 3, 30)), Gen.Int[0, 6], Gen.Int[0, 3],
            (day, start, repeats) => Enumerable.Range(start, 12).Select(q => day.At(new LocalTime(q / 4, q % 4 * 15)))
                .Concat(Enumerable.Range(start + 4, repeats).Select(q => day.At(new LocalTime(q / 4, q % 4 * 15))))
                .ToArray())));

    [Fact]
    public async Task The_service_maps_and_refuses_times_exactly_as_nodatime_does()
    {
        var client = Api.ClientFor(await Api.AddCustomerAsync("trebolenergia"));
        var accepted = 0;

        await Schedule.SampleAsync(async schedule =>
        {
            var body = "{\"purchase\": [" + string.Join(", ", schedule.Select((t, i) =>
                $"{{\"datetime\": \"{Pattern.Format(t)}\", \"purchase\": {i}}}")) + "]}";
            var (error, rows) = ReferenceScheduleModel.Evaluate(body);

            var response = await client.PostAsync("/api/v0/user/trebolenergia/submit-purchase?retailer_id=1", Json(body), Ct);

            var answer = await BodyOf(response);
            if (error is not null)
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Equal(error, answer.GetProperty("error").GetString());
                return;
            }
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            accepted++;
            var stored = await Api.ScalarAsync<string>("""
                SELECT string_agg(to_char(instant AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ',' ORDER BY position)
                FROM purchase_rows WHERE purchase_id = $1
                """, Guid.Parse(answer.GetProperty("id").GetString()!));
            Assert.Equal(string.Join(",", rows.Select(r => r.Instant)), stored);
        }, iter: 300, threads: 1);

        Assert.InRange(accepted, 30, 270);
    }
}
