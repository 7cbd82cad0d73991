namespace Purchases.Infrastructure.Persistence;

/// <summary>
/// A key of the Data Protection key ring that encrypts webhook secrets, as XML; shared by every instance. The table is
/// the one ASP.NET Core's EF Core key store uses (same columns), read and written by
/// <see cref="KeyRing.DataProtectionKeyRepository"/>.
/// </summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public string? Xml { get; set; }
}
