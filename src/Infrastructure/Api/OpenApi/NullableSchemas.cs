using NJsonSchema;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Purchases.Infrastructure.Api.OpenApi;

/// <summary>
/// OpenAPI 3.0 wants a <c>type</c> beside <c>nullable</c>: NSwag writes nullable references as
/// <c>{nullable, oneOf: [$ref]}</c> and free-form JSON as <c>{nullable}</c>. Both are objects here, so say so, and
/// reference the schema through <c>allOf</c>, which client generators read as the type itself.
/// </summary>
internal sealed class NullableSchemas : IDocumentProcessor
{
    public void Process(DocumentProcessorContext context)
    {
        var properties = context.Document.Components.Schemas.Values.SelectMany(s => s.Properties.Values);
        foreach (var property in properties.Where(p => p.IsNullableRaw == true && p.Type == JsonObjectType.None))
        {
            property.Type = JsonObjectType.Object;
            if (property.OneOf.Count == 1)
            {
                property.AllOf.Add(property.OneOf.Single());
                property.OneOf.Clear();
            }
        }
    }
}
