using FluentValidation;

namespace Purchases.Infrastructure.Api;

/// <summary>A keyset-paginated list's query: <c>limit</c> (1–1000, default 100) and the previous page's <c>next_cursor</c>.</summary>
public interface IPageRequest
{
    string? Limit { get; }
    string? Cursor { get; }
}

public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static int PageSize(this IPageRequest request) => request.Limit is null ? DefaultLimit : int.Parse(request.Limit);

    public static KeysetCursor? After(this IPageRequest request) =>
        request.Cursor is not null && KeysetCursor.TryParse(request.Cursor, out var after) ? after : null;
}

public sealed class PageRules : AbstractValidator<IPageRequest>
{
    public PageRules()
    {
        RuleFor(r => r.Limit)
            .Must(l => l is null || int.TryParse(l, out var n) && n is >= 1 and <= Paging.MaxLimit)
            .WithMessage($"Query parameter \"limit\" must be a whole number from 1 to {Paging.MaxLimit}.");
        RuleFor(r => r.Cursor).Must(c => c is null || KeysetCursor.TryParse(c, out _))
            .WithMessage("Query parameter \"cursor\" is not a cursor this API gave.");
    }
}
