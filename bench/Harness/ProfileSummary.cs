using System.Text;
using System.Text.Json;

namespace Purchases.Bench;

/// <summary>
/// Reads a speedscope file converted from a <c>dotnet-trace --profile dotnet-sampled-thread-time</c> trace and keeps
/// only the samples where a thread was running managed code (leaf pseudo-frame <c>CPU_TIME</c>; threads waiting or in
/// native code end in <c>UNMANAGED_CODE_TIME</c>). Prints, as Markdown: managed CPU by assembly (self time), the
/// service's own methods by inclusive time, and the top frames by inclusive and by self time.
/// </summary>
public static class ProfileSummary
{
    public static int Run(Args args)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(args.Required("speedscope")));
        var top = args.Int("top", 25);
        var requests = args.Double("requests", double.NaN);
        var frames = doc.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray()
            .Select(f => f.GetProperty("name").GetString() ?? "?").ToArray();
        var cpuFrame = Array.IndexOf(frames, "CPU_TIME");
        var inclusive = new Dictionary<int, double>();
        var self = new Dictionary<int, double>();
        double cpu = 0, all = 0;

        foreach (var profile in doc.RootElement.GetProperty("profiles").EnumerateArray())
        {
            if (!profile.TryGetProperty("events", out var events)) continue;
            var stack = new List<int>();
            double? last = null;
            foreach (var e in events.EnumerateArray())
            {
                var at = e.GetProperty("at").GetDouble();
                if (last is { } previous && stack.Count > 0)
                {
                    var dt = at - previous;
                    all += dt;
                    if (stack[^1] == cpuFrame && cpuFrame >= 0)
                    {
                        cpu += dt;
                        foreach (var f in stack.Take(stack.Count - 1).Distinct()) inclusive[f] = inclusive.GetValueOrDefault(f) + dt;
                        if (stack.Count >= 2) self[stack[^2]] = self.GetValueOrDefault(stack[^2]) + dt;
                    }
                }
                var frame = e.GetProperty("frame").GetInt32();
                if (e.GetProperty("type").GetString() == "O") stack.Add(frame);
                else
                {
                    var i = stack.LastIndexOf(frame);
                    if (i >= 0) stack.RemoveRange(i, stack.Count - i);
                }
                last = at;
            }
        }

        var md = new StringBuilder();
        if (cpu <= 0)
        {
            Console.WriteLine("(no managed CPU samples in the trace)");
            return 0;
        }
        md.AppendLine($"Managed CPU samples: {cpu / 1000:0.00} s of {all / 1000:0.0} s sampled thread time" +
                      (double.IsNaN(requests) ? "" : $" ({cpu / requests:0.000} ms per request; native code such as socket calls and the GC is not in these samples)") + ".");
        md.AppendLine();
        var byAssembly = self.GroupBy(kv => Assembly(frames[kv.Key])).Select(g => (g.Key, g.Sum(kv => kv.Value)))
            .OrderByDescending(x => x.Item2).Take(12);
        md.AppendLine("Self time by assembly: " + string.Join(", ", byAssembly.Select(x => $"{x.Key} {x.Item2 / cpu * 100:0}%")) + ".");
        md.AppendLine();
        md.AppendLine("| inclusive | self | frame |");
        md.AppendLine("|---|---|---|");
        var ours = inclusive.Where(kv => frames[kv.Key].StartsWith("Purchases!", StringComparison.Ordinal))
            .OrderByDescending(kv => kv.Value).Take(top);
        foreach (var (f, v) in ours)
            md.AppendLine($"| {v / cpu * 100:0.0}% | {self.GetValueOrDefault(f) / cpu * 100:0.0}% | `{Short(frames[f])}` |");
        md.AppendLine();
        md.AppendLine("<details><summary>Top frames by inclusive and by self managed CPU (all assemblies)</summary>");
        md.AppendLine();
        md.AppendLine("| inclusive | frame |");
        md.AppendLine("|---|---|");
        foreach (var (f, v) in inclusive.Where(kv => kv.Value / cpu < 0.97 && !Plumbing(frames[kv.Key])).OrderByDescending(kv => kv.Value).Take(top + 15))
            md.AppendLine($"| {v / cpu * 100:0.0}% | `{Short(frames[f])}` |");
        md.AppendLine();
        md.AppendLine("| self | frame |");
        md.AppendLine("|---|---|");
        foreach (var (f, v) in self.OrderByDescending(kv => kv.Value).Take(top))
            md.AppendLine($"| {v / cpu * 100:0.0}% | `{Short(frames[f])}` |");
        md.AppendLine();
        md.AppendLine("</details>");
        Console.Write(md.ToString());
        return 0;
    }

    static string Assembly(string frame) => frame.IndexOf('!') is var i and > 0 ? frame[..i] : frame;

    /// <summary>Frames that are on every stack of their kind (thread starts, the thread pool, async plumbing).</summary>
    static bool Plumbing(string frame) =>
        frame.StartsWith("Thread (", StringComparison.Ordinal) || frame is "Threads" or "(Non-Activities)" ||
        frame.Contains("ExecutionContext.Run", StringComparison.Ordinal) || frame.Contains("ThreadPoolWorkQueue.Dispatch", StringComparison.Ordinal) ||
        frame.Contains("WorkerThread.WorkerThreadStart", StringComparison.Ordinal) || frame.Contains("Thread.StartCallback", StringComparison.Ordinal) ||
        frame.Contains("AsyncMethodBuilderCore.Start", StringComparison.Ordinal) || frame.Contains("AsyncStateMachineBox", StringComparison.Ordinal) ||
        frame.Contains("AwaitTaskContinuation.RunOrScheduleAction", StringComparison.Ordinal) ||
        frame.Contains("Task.RunContinuations", StringComparison.Ordinal) || frame.Contains("Task.ExecuteWithThreadLocal", StringComparison.Ordinal);

    static string Short(string frame)
    {
        var s = frame;
        var paren = s.IndexOf('(');
        if (paren > 0) s = s[..paren];
        s = s.Replace("System.Private.CoreLib!", "CoreLib!").Replace("Microsoft.AspNetCore.", "AspNetCore.")
             .Replace("Microsoft.EntityFrameworkCore", "EFCore");
        return s.Length > 140 ? s[..140] + "…" : s;
    }
}
