using System.Text;
using FluentValidation;
using Npgsql;

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

    /// <summary>
    /// Appends "after the cursor" on <c>(alias.created_at, alias.id)</c> to <paramref name="where"/> and adds the page
    /// size plus one (to know whether another page follows) as the last parameter: its placeholder is returned.
    /// </summary>
    public static string AppendPage(this IPageRequest request, StringBuilder where, NpgsqlCommand command, string alias)
    {
        if (request.After() is { } after)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = after.CreatedAt });
            command.Parameters.Add(new NpgsqlParameter { Value = after.Id });
            where.Append($" AND ({alias}.created_at, {alias}.id) < (${command.Parameters.Count - 1}, ${command.Parameters.Count})");
        }
        command.Parameters.Add(new NpgsqlParameter { Value = request.PageSize() + 1 });
        return $"${command.Parameters.Count}";
    }

    /// <summary>Appends <c> AND condition</c> with <paramref name="value"/> as a new parameter (<c>{0}</c> in the condition), unless it is null.</summary>
    public static void AppendCondition(StringBuilder where, NpgsqlCommand command, object? value, string condition)
    {
        if (value is null) return;
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        where.Append(" AND ").AppendFormat(condition, command.Parameters.Count);
    }

    /// <summary>The page (read with <see cref="AppendPage"/>): at most the page size, and its last item's cursor when more follow.</summary>
    public static (List<T> Items, string? NextCursor) Cut<T>(this IPageRequest request, List<T> read, Func<T, KeysetCursor> keyOf)
    {
        var size = request.PageSize();
        if (read.Count <= size) return (read, null);
        read.RemoveRange(size, read.Count - size);
        return (read, keyOf(read[^1]).ToString());
    }
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
