using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Purchases.Client;
using Purchases.Client.Models;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Client;

/// <summary>
/// The retailers' client, generated from the committed OpenAPI document, against the running service: if the
/// document and the behaviour disagree, these fail.
/// </summary>
public sealed class TypedClientTests(ApiFactory api) : ApiTest(api)
{
    string _token = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _token = await Api.AddCustomerAsync("trebolenergia");
    }

    PurchasesClient ClientFor(string token)
    {
        var http = Api.CreateClient();
        return PurchasesClientFactory.Create(http.BaseAddress!.ToString(), token, http);
    }

    static SubmitPurchaseBody Seed() => new()
    {
        Purchase =
        [
            new SubmitPurchaseItem { Datetime = "2025-11-11 00:15", Purchase = 12.0m },
            new SubmitPurchaseItem { Datetime = "2025-11-11 00:30", Purchase = 13.0m },
        ],
    };

    static async Task<TError> Throws<TError>(Func<Task> call, int status, string message) where TError : ApiException
    {
        var error = await Assert.ThrowsAsync<TError>(call);
        Assert.Equal(status, error.ResponseStatusCode);
        Assert.Equal(message, error.Message);
        return error;
    }

    [Fact]
    public async Task Submit_with_the_retailer_in_the_query_then_get_it_back()
    {
        var user = ClientFor(_token).Api.V0.User["trebolenergia"];

        var created = await user.SubmitPurchase.PostAsync(Seed(), c => c.QueryParameters.RetailerId = "123", Ct);
        var got = await user.Purchase[created!.Id.ToString()!].GetPath.GetAsync(cancellationToken: Ct);

        Assert.Equal("pending", created.Status);
        Assert.Equal(2, created.RowsUploaded);
        Assert.Equal($"Purchase created successfully with ID: {created.Id} for user: trebolenergia and retailer: 123", created.Message);
        Assert.Equal(created.Id, got!.Id);
        Assert.Equal("123", got.RetailerId);
        Assert.Null(got.StrategyOutput);
        Assert.Equal($"purchase-{created.Id}", got.Workflow!.Name);
        Assert.Equal("pending", got.Workflow.State);
    }

    [Fact]
    public async Task Submit_with_the_retailer_in_the_path()
    {
        var created = await ClientFor(_token).Api.V0.User["trebolenergia"].SubmitPurchase["77"].PostAsync(Seed(), cancellationToken: Ct);

        Assert.EndsWith("and retailer: 77", created!.Message);
        Assert.Equal("77", await Api.ScalarAsync<string>("SELECT retailer_id FROM purchases"));
    }

    [Fact]
    public async Task Update_then_get_with_and_without_idmodel()
    {
        var user = ClientFor(_token).Api.V0.User["trebolenergia"];
        var id = (await user.SubmitPurchase.PostAsync(Seed(), c => c.QueryParameters.RetailerId = "1", Ct))!.Id.ToString()!;
        var worker = ClientFor(await Api.IssueTokenAsync("worker", "argo")).Api.V0.User["trebolenergia"];

        var updated = await worker.Purchase[id].Update.PutAsync(new UpdatePurchaseBody
        {
            Outputs = new UpdatePurchaseBody_outputs { AdditionalData = { ["idmodel"] = 7, ["buy"] = 1.5 } },
            Status = "completed",
        }, cancellationToken: Ct);
        var whole = await user.Purchase[id].GetPath.GetAsync(cancellationToken: Ct);
        var matching = await user.Purchase[id].GetPath.GetAsync(c => c.QueryParameters.Idmodel = "7", Ct);
        var none = await user.Purchase[id].GetPath.GetAsync(c => c.QueryParameters.Idmodel = "8", Ct);

        Assert.Equal($"CustomerPurchase {id} updated successfully", updated!.Message);
        Assert.Equal("", updated.Error);
        Assert.Equal("completed", whole!.Status);
        Assert.Equal("7", Number(whole.StrategyOutput!.AdditionalData["idmodel"]));
        Assert.Equal("1.5", Number(matching!.StrategyOutput!.AdditionalData["buy"]));
        Assert.Null(none!.StrategyOutput);
    }

    static string Number(object value) => value switch
    {
        UntypedInteger i => i.GetValue().ToString(),
        UntypedDecimal d => d.GetValue().ToString(System.Globalization.CultureInfo.InvariantCulture),
        UntypedDouble d => d.GetValue().ToString(System.Globalization.CultureInfo.InvariantCulture),
        UntypedFloat f => f.GetValue().ToString(System.Globalization.CultureInfo.InvariantCulture),
        UntypedLong l => l.GetValue().ToString(),
        _ => value.ToString()!,
    };

    [Fact]
    public async Task A_400_is_a_typed_error_with_the_contracts_message()
    {
        var body = Seed();
        body.Purchase![1].Datetime = "2025-11-11T00:30";

        await Throws<ErrorBody>(() => ClientFor(_token).Api.V0.User["trebolenergia"].SubmitPurchase
                .PostAsync(body, c => c.QueryParameters.RetailerId = "1", Ct), 400,
            "Purchase item at index 1: invalid datetime format. Expected \"YYYY-MM-DD HH:MM\" (e.g., \"2024-01-15 14:30\").");
    }

    [Fact]
    public async Task A_401_and_a_403_are_typed_detail_errors()
    {
        await Throws<DetailBody>(() => ClientFor("pur_unknown").Api.V0.User["trebolenergia"].SubmitPurchase
            .PostAsync(Seed(), c => c.QueryParameters.RetailerId = "1", Ct), 401, "Invalid token.");
        await Throws<DetailBody>(() => ClientFor(_token).Api.V0.User["someone-else"].SubmitPurchase
                .PostAsync(Seed(), c => c.QueryParameters.RetailerId = "1", Ct), 403,
            "You do not have permission to perform this action.");
    }

    [Fact]
    public async Task A_404_is_a_typed_error_on_get_and_update()
    {
        var purchase = ClientFor(_token).Api.V0.User["trebolenergia"].Purchase[Guid.NewGuid().ToString()];

        await Throws<ErrorBody>(() => purchase.GetPath.GetAsync(cancellationToken: Ct), 404, "Purchase not found.");
        await Throws<ErrorBody>(() => purchase.Update.PutAsync(new UpdatePurchaseBody
            { Outputs = new UpdatePurchaseBody_outputs(), Status = "completed" }, cancellationToken: Ct), 404, "Purchase not found.");
    }

    [Fact]
    public async Task Operators_list_count_and_replay_through_the_client()
    {
        await Api.InsertAsync(2);
        await Api.InsertAsync(1, state: "submitted", attempts: 0, lastError: null);
        var outbox = ClientFor(await Api.IssueTokenAsync("operator", "ops")).Api.V0.Admin.Outbox;

        var failed = await outbox.GetAsync(c => { c.QueryParameters.State = "failed"; c.QueryParameters.Limit = "1"; }, Ct);
        var stats = await outbox.Stats.GetAsync(cancellationToken: Ct);
        var one = await outbox[failed!.Items![0].Id.ToString()!].Replay.PostAsync(cancellationToken: Ct);
        var rest = await outbox.Replay.PostAsync(c => c.QueryParameters.State = "failed", Ct);
        var submitted = await Api.ScalarAsync<Guid>("SELECT id FROM outbox_entries WHERE state = 'submitted'");

        Assert.NotNull(failed.NextCursor);
        Assert.Equal((2, 1, 0), (stats!.Failed, stats.Submitted, stats.Pending));
        Assert.Equal($"Outbox entry {failed.Items[0].Id} queued for replay.", one!.Message);
        Assert.Equal(1, rest!.Replayed);
        await Throws<ErrorBody>(() => outbox[submitted.ToString()].Replay.PostAsync(cancellationToken: Ct), 409,
            "Outbox entry is already submitted.");
        await Throws<ErrorBody>(() => outbox[Guid.NewGuid().ToString()].Replay.PostAsync(cancellationToken: Ct), 404,
            "Outbox entry not found.");
    }

    [Fact]
    public async Task A_500_is_a_typed_error_with_the_endpoints_message()
    {
        await Api.ExecuteAsync("""
            CREATE FUNCTION fail_rows() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$;
            CREATE TRIGGER fail_rows BEFORE INSERT ON purchase_rows FOR EACH ROW EXECUTE FUNCTION fail_rows();
            """);
        try
        {
            await Throws<ErrorBody>(() => ClientFor(_token).Api.V0.User["trebolenergia"].SubmitPurchase
                .PostAsync(Seed(), c => c.QueryParameters.RetailerId = "1", Ct), 500, "Internal server error while creating purchase.");
        }
        finally
        {
            await Api.ExecuteAsync("DROP TRIGGER fail_rows ON purchase_rows; DROP FUNCTION fail_rows();");
        }
    }

    [Fact]
    public async Task A_503_is_a_typed_error_when_the_database_is_unreachable()
    {
        await using var unreachable = new Purchases.Tests.Api.DatabaseUnreachableTests.UnreachableDatabaseFactory();
        var http = unreachable.CreateClient();
        var client = PurchasesClientFactory.Create(http.BaseAddress!.ToString(), _token, http);

        await Throws<ErrorBody>(() => client.Api.V0.User["trebolenergia"].Purchase[Guid.NewGuid().ToString()].GetPath
            .GetAsync(cancellationToken: Ct), 503, "Service temporarily unavailable, please retry.");
    }

    [Fact]
    public async Task Register_list_rotate_and_remove_a_webhook()
    {
        var webhooks = ClientFor(_token).Api.V0.User["trebolenergia"].Webhooks;

        var registered = await webhooks.PostAsync(new RegisterWebhookBody
            { Url = "https://93.184.215.14/hooks", Events = ["purchase.completed", "purchase.failed"] }, cancellationToken: Ct);
        var listed = await webhooks.GetAsync(cancellationToken: Ct);
        var rotated = await webhooks[registered!.Id.ToString()!].RotateSecret.PostAsync(cancellationToken: Ct);
        await webhooks[registered.Id.ToString()!].DeleteAsync(cancellationToken: Ct);

        Assert.StartsWith("whsec_", registered.Secret);
        Assert.Equal(registered.Id, Assert.Single(listed!.Items!).Id);
        Assert.NotEqual(registered.Secret, rotated!.Secret);
        Assert.NotNull(rotated.PreviousSecretExpiresAt);
        Assert.Empty((await webhooks.GetAsync(cancellationToken: Ct))!.Items!);
        await Throws<ErrorBody>(() => webhooks.PostAsync(new RegisterWebhookBody
            { Url = "https://10.0.0.1/hooks", Events = ["purchase.completed"] }, cancellationToken: Ct), 400,
            "Webhook \"url\" must reach a public address; \"10.0.0.1\" is 10.0.0.1 (loopback, private and link-local addresses are refused).");
    }
}
