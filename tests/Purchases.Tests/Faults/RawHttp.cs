using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Purchases.Tests.Faults;

internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body, bool ConnectionReset)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// HTTP/1.1 over a bare socket, for what HttpClient will not do: send headers promising a body it never sends, or
/// read an answer that comes while the request is still being written.
/// </summary>
internal static class RawHttp
{
    /// <summary>Writes <paramref name="request"/> as is and reads one response (bounded by <paramref name="timeout"/>).</summary>
    public static async Task<RawResponse> SendAsync(int port, byte[] request, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, cts.Token);
        var stream = tcp.GetStream();
        var reset = false;
        try
        {
            await stream.WriteAsync(request, cts.Token);
            await stream.FlushAsync(cts.Token);
        }
        catch (IOException)
        {
            // The server answered and closed while we were still writing: its answer may be readable all the same.
            reset = true;
        }

        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            if (TryParse(received.ToArray(), reset) is { } complete) return complete;
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cts.Token);
            }
            catch (IOException)
            {
                reset = true;
                read = 0;
            }
            if (read == 0)
                return TryParse(received.ToArray(), reset, endOfStream: true)
                       ?? throw new IOException($"The connection ended before a whole response ({received.Length} bytes: " +
                                                $"{Encoding.ASCII.GetString(received.ToArray())})");
            received.Write(buffer, 0, read);
        }
    }

    static RawResponse? TryParse(byte[] data, bool reset, bool endOfStream = false)
    {
        var text = Encoding.Latin1.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return null;
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var rest = data.AsSpan(end + 4);

        if (headers.TryGetValue("Content-Length", out var length))
        {
            var n = int.Parse(length);
            return rest.Length >= n ? new RawResponse(status, headers, Encoding.UTF8.GetString(rest[..n]), reset) : null;
        }
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new MemoryStream();
            var position = 0;
            while (true)
            {
                var lineEnd = rest[position..].IndexOf("\r\n"u8);
                if (lineEnd < 0) return null;
                var size = Convert.ToInt32(Encoding.ASCII.GetString(rest.Slice(position, lineEnd)).Split(';')[0].Trim(), 16);
                position += lineEnd + 2;
                if (size == 0) return new RawResponse(status, headers, Encoding.UTF8.GetString(body.ToArray()), reset);
                if (rest.Length < position + size + 2) return null;
                body.Write(rest.Slice(position, size));
                position += size + 2;
            }
        }
        return endOfStream ? new RawResponse(status, headers, Encoding.UTF8.GetString(rest), reset) : null;
    }
}
