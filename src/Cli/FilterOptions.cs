using System.CommandLine;
using Purchases.Infrastructure.Api;

namespace Purchases.Cli;

/// <summary>
/// The operators' filters as options: the view's own first one (<c>--state</c>, <c>--condition</c>), then those the
/// outbox and the workflow views share, read into the same request the admin API binds.
/// </summary>
public sealed class FilterOptions<T>(Option<string> own, Action<T, string?> setOwn, string errorDescription)
    where T : PurchaseFilterParameters
{
    readonly Option<string> user = new("--user");
    readonly Option<string> retailerId = new("--retailer-id");
    readonly Option<string> purchaseId = new("--purchase-id");
    readonly Option<string> createdFrom = new("--created-from") { Description = "RFC 3339 UTC, inclusive" };
    readonly Option<string> createdTo = new("--created-to") { Description = "RFC 3339 UTC, exclusive" };
    readonly Option<string> errorContains = new("--error-contains") { Description = errorDescription };

    public void AddTo(Command command)
    {
        foreach (var option in new[] { own, user, retailerId, purchaseId, createdFrom, createdTo, errorContains })
            command.Add(option);
    }

    public TRequest Read<TRequest>(ParseResult parsed, TRequest parameters) where TRequest : T
    {
        setOwn(parameters, parsed.GetValue(own));
        parameters.User = parsed.GetValue(user);
        parameters.RetailerId = parsed.GetValue(retailerId);
        parameters.PurchaseId = parsed.GetValue(purchaseId);
        parameters.CreatedFrom = parsed.GetValue(createdFrom);
        parameters.CreatedTo = parsed.GetValue(createdTo);
        parameters.ErrorContains = parsed.GetValue(errorContains);
        return parameters;
    }
}
