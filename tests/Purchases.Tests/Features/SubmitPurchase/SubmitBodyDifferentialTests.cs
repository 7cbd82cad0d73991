using System.Net;
using System.Text;
using CsCheck;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.SubmitPurchase;

/// <summary>
/// Generated submit bodies, odd and ordinary, sent through the API and compared with
/// <see cref="ReferenceScheduleModel"/>: the same message for every refusal, the same rows for every acceptance.
/// Covers what a streaming parser can get wrong: duplicate keys (the last wins), escaped strings and names, nested
/// values to skip, several top-level values, trailing bytes, a byte-order mark.
/// </summary>
public sealed class SubmitBodyDifferentialTests(ApiFactory api) : ApiTest(api)
{
    static readonly Gen<string> Datetime = Gen.OneOf(
        "\"2025-11-11 00:15\"", "\"2025-11-11 00:30\"", "\"2025-10-26 02:00\"", "\"2025-10-26 02:15\"", "\"2025-03-30 02:15\"",
        "\"2025-11-11\\u002000:45\"", "\"\\u0032025-11-11 01:00\"", "\"2025-02-29 00:00\"", "\"2024-02-29 00:00\"", "\"0000-01-01 00:00\"",
        "\"2025-11-11 24:00\"", "\"2025-11-11 00:60\"", "\"2025-11-11T00:15\"", "\"2025-11-11 0:15\"", "\"２025-11-11 00:15\"",
        "\"\"", "12", "null", "true", "{}", "[\"2025-11-11 00:15\"]", "{\"datetime\": \"2025-11-11 00:15\"}");

    static readonly Gen<string> Megawatts = Gen.OneOf(
        "12", "12.0", "-0.5", "0", "-0", "1e2", "1.5E-3", "1e999", "79228162514264337593543950335", "79228162514264337593543950336",
        "0.0000000000000000000000000001", "\"12\"", "null", "false", "[]", "{}", "[12]", "{\"purchase\": 1}");

    static readonly Gen<string> Key = Gen.Frequency(
        (6, Gen.Const("datetime")), (6, Gen.Const("purchase")), (1, Gen.Const("date\\u0074ime")), (1, Gen.Const("purc\\u0068ase")),
        (1, Gen.Const("Datetime")), (1, Gen.Const("extra")));

    static readonly Gen<string> Member = Gen.Select(Key, Datetime, Megawatts, (key, datetime, mw) =>
        $"\"{key}\": {(key.StartsWith("date", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Date") ? datetime : key == "extra" ? "{\"a\": [1, {\"b\": null}]}" : mw)}");

    static readonly Gen<string> Item = Gen.Frequency(
        (8, Gen.Select(Datetime, Megawatts, (datetime, mw) => $"{{\"datetime\": {datetime}, \"purchase\": {mw}}}")),
        (3, Member.Array[0, 4].Select(members => "{" + string.Join(", ", members) + "}")),
        (1, Gen.OneOf("1", "\"x\"", "null", "[]", "[{}]")));

    static readonly Gen<string> Items = Item.Array[0, 6].Select(items => "[" + string.Join(", ", items) + "]");

    // Bodies the service should accept, in the shapes clients send and in odd but valid ones (a key given twice with
    // the last one valid, escaped keys and values, members to skip).
    static readonly Gen<string> ValidMw = Gen.OneOf("12", "12.0", "-0.5", "0", "1e2", "1.5E-3", "0.0000000000000000000000000001");

    static readonly Gen<string> ValidItem = Gen.Select(Gen.Int[0, 3], ValidMw, (variant, mw) => variant switch
    {
        0 => $"{{\"datetime\": \"{{0}}\", \"purchase\": {mw}}}",
        1 => $"{{\"purchase\": \"x\", \"extra\": [{{\"datetime\": 1}}], \"datetime\": 5, \"datetime\": \"{{0}}\", \"purchase\": {mw}}}",
        2 => $"{{\"purc\\u0068ase\": {mw}, \"date\\u0074ime\": \"{{0}}\"}}",
        _ => $"{{\"datetime\": \"{{0}}\", \"purchase\": {mw}, \"note\": {{\"purchase\": []}}}}",
    });

    static readonly Gen<string> ValidBody = Gen.Select(ValidItem.Array[1, 6], Gen.OneOf("2025-11-11", "2025-10-26"), Gen.Int[0, 8],
        (items, day, start) => "{\"purchase\": [" + string.Join(", ", items.Select((item, i) =>
            item.Replace("{0}", $"{day} {(start + i) / 4:D2}:{(start + i) % 4 * 15:D2}"))) + "]}");

    static readonly Gen<string> Body = Gen.Frequency(
        (6, ValidBody),
        (10, Items.Select(items => $"{{\"purchase\": {items}}}")),
        (2, Gen.Select(Items, Items, (first, second) => $"{{\"purchase\": {first}, \"other\": {{\"purchase\": 1}}, \"purchase\": {second}}}")),
        (1, Items.Select(items => $"{{\"purc\\u0068ase\": {items}}}")),
        (1, Items.Select(items => $"{{\"purchase\": {items}}} {{}}")),
        (1, Items.Select(items => $"{{\"purchase\": {items}}}  \n")),
        (1, Items.Select(items => $"\uFEFF{{\"purchase\": {items}}}")),
        (1, Items.Select(items => $"{{\"purchase\": {items},}}")),
        (1, Items.Select(items => items)),
        (1, Gen.OneOf("", " ", "{}", "[]", "null", "{\"purchase\": null}", "{\"purchase\": {}}", "{\"Purchase\": []}", "{\"purchase\": [] /* c */}")));

    [Fact]
    public async Task Every_body_gets_the_reference_models_answer()
    {
        var client = Api.ClientFor(await Api.AddCustomerAsync("trebolenergia"));
        var (accepted, refused) = (0, 0);

        await Body.SampleAsync(async body =>
        {
            var (error, rows) = ReferenceScheduleModel.Evaluate(body);
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.ContentType = new("application/json");

            var response = await client.PostAsync("/api/v0/user/trebolenergia/submit-purchase?retailer_id=1", content, Ct);

            var answer = await BodyOf(response);
            if (error is not null)
            {
                refused++;
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {body}");
                Assert.Equal(error, answer.GetProperty("error").GetString());
                return;
            }
            accepted++;
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {answer} for {body}");
            var stored = await Api.ScalarAsync<string>("""
                SELECT string_agg(to_char(instant AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' || mw, ',' ORDER BY position)
                FROM purchase_rows WHERE purchase_id = $1
                """, Guid.Parse(answer.GetProperty("id").GetString()!));
            Assert.Equal(string.Join(",", rows.Select(r => $"{r.Instant} {r.Mw}")), stored);
        }, iter: 1500, threads: 1);

        Assert.True(accepted > 300 && refused > 300, $"{accepted} accepted, {refused} refused");
    }
}
