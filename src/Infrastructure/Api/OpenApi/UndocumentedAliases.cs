using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Purchases.Infrastructure.Api.OpenApi;

/// <summary>
/// Leaves out the user-less submit routes: they only exist so that <c>/user//submit-purchase</c> gets the contract's
/// "missing user" message; nobody should call them.
/// </summary>
internal sealed class UndocumentedAliases : IDocumentProcessor
{
    public void Process(DocumentProcessorContext context)
    {
        foreach (var path in context.Document.Paths.Keys.Where(p => p.StartsWith("/api/v0/user/submit-purchase")).ToList())
            context.Document.Paths.Remove(path);
    }
}
