using FastEndpoints;

namespace Purchases.Infrastructure.Api;

/// <summary>A request whose binder may refuse the body before reading it as JSON.</summary>
public interface IRefusableBody
{
    BodyRejection? Rejection { get; }
}

/// <summary>
/// Answers a refused body (413, 415) with its own status. Pre-processors run even when validation failed and
/// their response wins, so these come before the 400s without any code in the handlers.
/// </summary>
public sealed class BodyRejectionCheck<TRequest> : IPreProcessor<TRequest> where TRequest : IRefusableBody
{
    public Task PreProcessAsync(IPreProcessorContext<TRequest> context, CancellationToken ct) =>
        context.Request?.Rejection is { } rejection && !context.HttpContext.ResponseStarted()
            ? ApiErrors.WriteErrorAsync(context.HttpContext, rejection.Status, rejection.Message)
            : Task.CompletedTask;
}
