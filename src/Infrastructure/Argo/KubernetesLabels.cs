namespace Purchases.Infrastructure.Argo;

static class KubernetesLabels
{
    const int MaxLength = 63;
    static readonly char[] NotAlphanumeric = ['-', '_', '.'];

    /// <summary>
    /// A valid label value made from <paramref name="raw"/>: at most 63 characters of [A-Za-z0-9_.-], beginning and
    /// ending alphanumeric; other characters become '_'. Null when nothing is left.
    /// </summary>
    public static string? ValueFrom(string raw)
    {
        var value = string.Create(raw.Length, raw, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = char.IsAsciiLetterOrDigit(source[i]) || source[i] is '-' or '_' or '.' ? source[i] : '_';
        }).Trim(NotAlphanumeric);
        if (value.Length > MaxLength) value = value[..MaxLength].TrimEnd(NotAlphanumeric);
        return value.Length == 0 ? null : value;
    }
}
