using System.CommandLine;
using System.Text;
using Purchases.Infrastructure.KeyRing;

namespace Purchases.Cli;

/// <summary><c>keyring list|protect</c>: the Data Protection key ring (it encrypts webhook secrets) at rest.</summary>
public static class KeyRingCommands
{
    public static Command KeyRing(CliContext cli) =>
        new("keyring", "The key ring that encrypts webhook secrets, as stored.") { List(cli), Protect(cli) };

    static Command List(CliContext cli)
    {
        var list = new Command("list", "Every key, and the certificate that protects it (or none).");
        list.SetAction(cli.Action(async (_, services, ct) =>
        {
            var keys = await services.GetRequiredService<KeyRingProtection>().ListAsync(ct);
            var text = new StringBuilder($"{"ID",-36}  {"CREATED",-20}  {"EXPIRES",-20}  PROTECTED BY\n");
            foreach (var key in keys)
                text.AppendLine($"{key.Id,-36}  {CliContext.Format(key.Created),-20}  {CliContext.Format(key.Expires),-20}  " +
                                (key.ProtectedBy is { } thumbprint ? $"certificate {thumbprint}" : "nothing (unencrypted)"));
            var unencrypted = keys.Count(k => k.ProtectedBy is null);
            return text.Append($"{keys.Count} keys, {unencrypted} unencrypted.").ToString();
        }));
        return list;
    }

    static Command Protect(CliContext cli)
    {
        var protect = new Command("protect",
            "Encrypt every key with DataProtection:Certificate (unencrypted keys, and keys under a previous certificate).");
        protect.SetAction(cli.Action(async (_, services, ct) =>
        {
            try
            {
                var (rewritten, already) = await services.GetRequiredService<KeyRingProtection>().ProtectAsync(ct);
                var thumbprint = services.GetRequiredService<KeyRingCertificates>().Current!.Thumbprint;
                return $"{rewritten} keys protected with certificate {thumbprint}; {already} already were.";
            }
            catch (KeyRingException e)
            {
                throw new CliFailure(e.Message);
            }
        }));
        return protect;
    }
}
