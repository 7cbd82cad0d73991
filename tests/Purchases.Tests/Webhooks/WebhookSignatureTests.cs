using System.Diagnostics;
using Purchases.Infrastructure.Webhooks;

namespace Purchases.Tests.Webhooks;

/// <summary>
/// Signatures as the Standard Webhooks specification defines them: its own test vector (libraries/*/tests of
/// github.com/standard-webhooks/standard-webhooks), and a verifier written apart from ours, in Python's standard library.
/// </summary>
public sealed class WebhookSignatureTests
{
    const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const string SpecMessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const string SpecPayload = """{"test": 2432232314}""";
    static readonly DateTimeOffset SpecTimestamp = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    [Fact]
    public void The_specifications_test_vector_signs_as_specified() =>
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSignature.Sign([SpecSecret], SpecMessageId, SpecTimestamp, SpecPayload));

    [Fact]
    public void During_a_rotation_both_secrets_sign_space_separated()
    {
        var signature = WebhookSignature.Sign([SpecSecret, "whsec_" + Convert.ToBase64String(new byte[32])], SpecMessageId,
            SpecTimestamp, SpecPayload);
        var parts = signature.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", parts[0]);
        Assert.StartsWith("v1,", parts[1]);
        Assert.NotEqual(parts[0], parts[1]);
    }

    [Fact]
    public async Task An_independent_verifier_accepts_our_signatures_and_refuses_a_changed_body()
    {
        var secret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var body = """{"type":"purchase.completed","data":{"purchase_id":"0193…","status":"completed","note":"ñ €"}}""";
        var timestamp = DateTimeOffset.UtcNow;
        var signature = WebhookSignature.Sign([secret], "msg_1", timestamp, body);

        Assert.Equal("ok", await VerifyWithPythonAsync(secret, "msg_1", timestamp, body, signature));
        Assert.Equal("bad", await VerifyWithPythonAsync(secret, "msg_1", timestamp, body + " ", signature));
        Assert.Equal("bad", await VerifyWithPythonAsync(secret, "msg_2", timestamp, body, signature));
    }

    /// <summary>The specification's verification, written with hmac/hashlib/base64 only.</summary>
    static async Task<string> VerifyWithPythonAsync(string secret, string id, DateTimeOffset timestamp, string body, string header)
    {
        const string script = """
            import base64, hashlib, hmac, sys
            secret, msg_id, ts, header = sys.argv[1:5]
            body = sys.stdin.buffer.read()
            key = base64.b64decode(secret.removeprefix("whsec_"))
            expected = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
            ok = any(hmac.compare_digest(s.split(",", 1)[1], expected) for s in header.split(" ") if s.startswith("v1,"))
            print("ok" if ok else "bad")
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-c", script, secret, id, timestamp.ToUnixTimeSeconds().ToString(), header })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        await process.StandardInput.BaseStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(body));
        process.StandardInput.Close();
        var output = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        return output;
    }
}
