using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Purchases.Bench;

/// <summary>
/// Turns results.jsonl (one JSON object a line, written by bench/run and the drivers) into RESULTS.md: every figure,
/// its ratios to the limit and to the peer measured in the same run, the targets with PASS/MISS, the CPU spent per
/// request by each process, the profiling data, and the hand-written findings (bench/FINDINGS.md) at the end.
/// </summary>
public static class Report
{
    sealed record Line(JsonElement E)
    {
        public string Kind => S("kind");
        public string S(string name) => E.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.ToString() : "";
        public double D(string name) => E.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
        public double D(string obj, string name) =>
            E.TryGetProperty(obj, out var o) && o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) &&
            v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
        public Dictionary<string, double> Cpu(string obj = "cpu") =>
            E.TryGetProperty(obj, out var o) && o.ValueKind == JsonValueKind.Object
                ? o.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble())
                : [];
    }

    sealed record Agg(double Rps, double P50, double P99, double Max, long Requests, long Errors, int Rounds,
        Dictionary<string, double> CpuMsPerRequest, double BusyShare, double Load1, double OthersShare)
    {
        /// <summary>Req/s scaled up by the share of the machine that other work (not this bench) took meanwhile.</summary>
        public double CorrectedRps => Rps / Math.Max(0.05, 1 - OthersShare);
    }

    static readonly string[] Groups = ["svc", "variant", "rc", "limit", "fake", "hook", "pg", "peer", "peerpg", "driver"];
    static readonly Dictionary<string, string> GroupNames = new()
    {
        ["svc"] = "service", ["variant"] = "service (variant)", ["rc"] = "reconciler instance", ["limit"] = "limits app", ["fake"] = "fake Argo", ["hook"] = "webhook receiver", ["vol"] = "service (volume database)", ["vols"] = "service (small database, scenario 9)", ["pg"] = "PostgreSQL (ours)",
        ["peer"] = "peer gunicorn", ["peerpg"] = "peer PostgreSQL", ["driver"] = "wrk / drivers", ["other"] = "rest of the machine",
    };
    static readonly Dictionary<string, string> TargetNames = new() { ["svc"] = "service", ["variant"] = "service (variant)", ["limit"] = "limit", ["limitd"] = "limit with the drain", ["peer"] = "DRF peer", ["small"] = "service, small database", ["volume"] = "service, volume database" };

    public static int Run(Args args)
    {
        var lines = File.ReadAllLines(args.Required("results"))
            .Where(l => l.TrimStart().StartsWith('{'))
            .Select(l => { try { return new Line(JsonDocument.Parse(l).RootElement.Clone()); } catch (JsonException) { return null; } })
            .OfType<Line>().ToList();
        var mode = args.Get("mode", "full");
        var raw = args.Get("raw", "");
        var meta = lines.Where(l => l.Kind == "meta").GroupBy(l => l.S("key")).ToDictionary(g => g.Key, g => g.Last().S("value"));
        string M(string key) => meta.TryGetValue(key, out var v) ? v : "?";

        var wrk = lines.Where(l => l.Kind == "wrk").ToList();
        Agg? Wrk(string scenario, string target)
        {
            var runs = wrk.Where(l => l.S("scenario") == scenario && l.S("target") == target).ToList();
            if (runs.Count == 0) return null;
            var requests = runs.Sum(r => (long)r.D("wrk", "requests"));
            var errors = runs.Sum(r => (long)(r.D("wrk", "non2xx3xx") + r.D("wrk", "connect_err") + r.D("wrk", "read_err") +
                                              r.D("wrk", "write_err") + r.D("wrk", "timeouts")));
            return new Agg(runs.Average(r => r.D("wrk", "rps")), runs.Average(r => r.D("wrk", "p50_ms")),
                runs.Average(r => r.D("wrk", "p99_ms")), runs.Max(r => r.D("wrk", "max_ms")), requests, errors, runs.Count,
                CpuPerRequest(runs.Select(r => r.Cpu()), requests), BusyShare(runs.Select(r => r.Cpu())),
                runs.Average(r => r.D("load1_before")), OthersShare(runs.Select(r => r.Cpu())));
        }
        Line? Seq(string target) => lines.LastOrDefault(l => l.Kind == "seq" && l.S("scenario") == "submit35040" && l.S("target") == target);
        var drain = lines.LastOrDefault(l => l.Kind == "drain");
        var pace = lines.LastOrDefault(l => l.Kind == "pace");
        var memory = lines.LastOrDefault(l => l.Kind == "memory" && l.S("target") == "svc");
        var variantMemory = lines.LastOrDefault(l => l.Kind == "memory" && l.S("target") == "variant");
        var failures = lines.Where(l => l.Kind == "failure").Select(l => l.S("message")).ToList();

        var s96 = Targets("svc", "variant", "limit", "limitd", "peer").ToDictionary(t => t, t => Wrk("submit96", t));
        var get = Targets("svc", "variant", "limit", "peer").ToDictionary(t => t, t => Wrk("get", t));
        var year = Targets("svc", "variant", "limit", "peer").ToDictionary(t => t, t => Seq(t));

        var md = new StringBuilder();
        md.AppendLine(mode == "smoke"
            ? "# Benchmark results — SMOKE run (tiny durations; the figures only show that every step works)"
            : "# Benchmark results: the Purchases service against its limits and the DRF peer");
        md.AppendLine();
        md.AppendLine($"Generated by `bench/run{(mode == "smoke" ? " --smoke" : "")}` on {M("started_utc")} (finished {M("finished_utc")}, " +
                      $"{M("total_seconds")} s in all, {M("build_seconds")} s of it building). Commit {M("git")}.");
        md.AppendLine();
        md.AppendLine($"- Machine: {M("host")}; PostgreSQL: {M("postgres")}.");
        md.AppendLine($"- Parameters: {M("params")}.");
        if (meta.ContainsKey("limits_connection_extra"))
            md.AppendLine($"- The limits app's connection string adds: {M("limits_connection_extra")} (the service's own pool defaults).");
        if (meta.ContainsKey("variant")) md.AppendLine($"- **Variant run**: {M("variant")}.");
        if (meta.ContainsKey("variant_target")) md.AppendLine($"- **\"service (variant)\"** is {M("variant_target")}; it is measured next to the service in every scenario.");
        if (meta.ContainsKey("peer")) md.AppendLine($"- Peer: {M("peer")}.");
        md.AppendLine($"- The service as published: runtimeconfig.json {M("runtimeconfig")}; rate limiting off (its default).");
        md.AppendLine($"- **Machine load** (1/5/15-min load average): {M("load_at_start")} at the start, {M("load_after_scenarios")} after " +
                      $"the scenarios, {M("load_at_end")} at the end; busiest processes at the start: {M("top_cpu_at_start")}. " +
                      "The other engineer's builds and tests share these 2 cores, so absolute figures are noisy: read the ratios, " +
                      "which compare runs made side by side, alternating order round by round. The load before each run and the " +
                      "CPU that went to the rest of the machine during it are in the tables below.");
        if (raw.Length > 0) md.AppendLine($"- Raw data (wrk outputs, results.jsonl, logs, profiles): `{Rel(raw)}`.");
        md.AppendLine();
        if (failures.Count > 0)
        {
            md.AppendLine("**Checks that failed in this run:**");
            md.AppendLine();
            foreach (var f in failures) md.AppendLine($"- {f}");
            md.AppendLine();
        }

        // ---- targets -------------------------------------------------------------------------------------------------
        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine("| # | target | measured | reference (same run) | ratio | goal | result |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        double Corr(Agg? a, Agg? b) => a is null || b is null ? double.NaN : a.CorrectedRps / b.CorrectedRps;
        var corrected = new Dictionary<string, double>
        {
            ["1a"] = Corr(s96["svc"], s96["limit"]), ["1b"] = Corr(s96["svc"], s96["peer"]), ["1d"] = Corr(s96["svc"], s96["limitd"]),
            ["3a"] = Corr(get["svc"], get["limit"]), ["3b"] = Corr(get["svc"], get["peer"]),
        };
        var targetRows = new List<(string Id, string Name, string Measured, string Reference, double Ratio, double Goal, bool AtLeast, string Unit)>
        {
            // Issue #15's goals for 1a, 2a and 3a (the first round's were 0.6×, 1.5× and 0.6×).
            ("1a", "submit-96 req/s vs its limit", Rps(s96["svc"]), Rps(s96["limit"]) + " (limit)", Div(s96["svc"]?.Rps, s96["limit"]?.Rps), 0.80, true, "x"),
            ("1b", "submit-96 req/s vs the peer", Rps(s96["svc"]), Rps(s96["peer"]) + $" (peer; the limit itself: {X(Div(s96["limit"]?.Rps, s96["peer"]?.Rps))})", Div(s96["svc"]?.Rps, s96["peer"]?.Rps), 5, true, "x"),
            // Not a goal of the issue: the same work on both sides (the limit drains too), to show what 1a's gap is made of.
            ("1d", "submit-96 req/s vs its limit with the drain (the same work; information, no goal)", Rps(s96["svc"]), Rps(s96["limitd"]) + " (limit with the drain)",
                Div(s96["svc"]?.Rps, s96["limitd"]?.Rps), double.NaN, true, "x"),
            ("1c", "submit-96 p99 vs its limit's p99", Ms(s96["svc"]?.P99), Ms(s96["limit"]?.P99) + " (limit)", Div(s96["svc"]?.P99, s96["limit"]?.P99), 3, false, "x"),
            ("2a", "submit-35,040 median vs its limit", Ms(year["svc"]?.D("median_ms")), Ms(year["limit"]?.D("median_ms")) + " (limit)",
                Div(year["svc"]?.D("median_ms"), year["limit"]?.D("median_ms")), 1.1, false, "x"),
            ("2b", "submit-35,040: times faster than the peer (median)", Ms(year["svc"]?.D("median_ms")), Ms(year["peer"]?.D("median_ms")) + $" (peer; the limit itself: {X(Div(year["peer"]?.D("median_ms"), year["limit"]?.D("median_ms")))})",
                Div(year["peer"]?.D("median_ms"), year["svc"]?.D("median_ms")), 8, true, "x"),
            ("3a", "get req/s vs its limit", Rps(get["svc"]), Rps(get["limit"]) + " (limit)", Div(get["svc"]?.Rps, get["limit"]?.Rps), 0.80, true, "x"),
            ("3b", "get req/s vs the peer", Rps(get["svc"]), Rps(get["peer"]) + $" (peer; the limit itself: {X(Div(get["limit"]?.Rps, get["peer"]?.Rps))})", Div(get["svc"]?.Rps, get["peer"]?.Rps), 10, true, "x"),
            ("4a", "outbox drain, entries/s (instant fake Argo)", Num(drain?.D("entries_per_s"), 0) + " /s", $"{Num(drain?.D("entries"), 0)} entries in {Num(drain?.D("seconds"), 2)} s",
                drain?.D("entries_per_s") ?? double.NaN, 500, true, "/s"),
            ("4b", "commit→Argo p50 at a steady rate", Ms(pace?.D("lag201_p50_ms")), "from the 201's arrival", pace?.D("lag201_p50_ms") ?? double.NaN, 200, false, "ms"),
            ("4c", "commit→Argo p99 at a steady rate", Ms(pace?.D("lag201_p99_ms")), "from the 201's arrival", pace?.D("lag201_p99_ms") ?? double.NaN, 1000, false, "ms"),
            // The issue says 250 MB: judged in decimal megabytes (238.4 MiB), the stricter reading.
            ("5", "peak RSS of the service (VmHWM)", $"{Mib(memory?.D("vmhwm_kb"))} = {Num(memory?.D("vmhwm_kb") * 1024 / 1e6, 0)} MB", "during scenarios 1–4",
                (memory?.D("vmhwm_kb") ?? double.NaN) * 1024 / 1e6, 250, false, "MB"),
        };
        // Scenario 9: each figure on the volume database against the same on the small one, as "times slower".
        var volume = lines.LastOrDefault(l => l.Kind == "volume");
        Line? VolSeq(string target) => lines.LastOrDefault(l => l.Kind == "seq" && l.S("scenario") == "vol-submit35040" && l.S("target") == target);
        List<Line> VolDrains(string target) => [.. lines.Where(l => l.Kind == "vol-drain" && l.S("target") == target)];
        double? VolDrainRate(string target) => VolDrains(target) is { Count: > 0 } d ? d.Average(l => l.D("entries_per_s")) : null;
        if (volume is not null)
        {
            foreach (var (id, scenario, name) in new[] { ("9a", "vol-submit96", "submit-96"), ("9b", "vol-get", "get"), ("9e", "vol-outbox-list", "operators' list of failed entries (100 a page)") })
            {
                var (small, big) = (Wrk(scenario, "small"), Wrk(scenario, "volume"));
                targetRows.Add((id, $"{name} at volume: times slower (req/s)", Rps(big), Rps(small) + " (small database)", Div(small?.Rps, big?.Rps), 1.1, false, "x"));
            }
            targetRows.Add(("9c", "submit-35,040 at volume: times slower (median)", Ms(VolSeq("volume")?.D("median_ms")), Ms(VolSeq("small")?.D("median_ms")) + " (small database)",
                Div(VolSeq("volume")?.D("median_ms"), VolSeq("small")?.D("median_ms")), 1.1, false, "x"));
            targetRows.Add(("9d", "outbox drain at volume: times slower (entries/s)", Num(VolDrainRate("volume"), 0) + " /s", Num(VolDrainRate("small"), 0) + " /s (small database)",
                Div(VolDrainRate("small"), VolDrainRate("volume")), 1.1, false, "x"));
        }
        // Scenario 10: year-long submits all at once, on a fresh instance.
        var burst = lines.LastOrDefault(l => l.Kind == "burst");
        if (burst is not null)
        {
            targetRows.Add(("10a", $"{burst.D("concurrency"):0} concurrent year-long submits: 201 Created", $"{burst.D("ok"):0} of {burst.D("n"):0}",
                $"statuses {burst.S("statuses")}", burst.D("n") - burst.D("ok"), 0, false, "all 201"));
            targetRows.Add(("10b", "peak RSS of a fresh Release service through them (VmHWM)", $"{Mib(burst.D("vmhwm_kb"))} = {Num(burst.D("vmhwm_kb") * 1024 / 1e6, 0)} MB",
                $"{Mib(burst.D("vmhwm_before_kb"))} before them", burst.D("vmhwm_kb") * 1024 / 1e6, 300, false, "MB"));
        }
        // Scenario 11: readiness behind a backlog; the first probe waits for the figures' first count.
        var readiness = lines.LastOrDefault(l => l.Kind == "readiness");
        if (readiness is not null)
            targetRows.Add(("11", $"/readyz behind {Num(readiness.D("waiting"), 0)} entries waiting: slowest probe after the first",
                Ms(readiness.D("max_ms")), $"first probe {Ms(readiness.D("first_ms"))} (the figures' first count)", readiness.D("max_ms"), 1000, false, "ms"));
        // By number, then letter: 1a … 5, 9a … 11.
        static (int, string) Order(string id) => (int.Parse(new string([.. id.TakeWhile(char.IsDigit)])), id);
        targetRows.Sort((a, b) => Order(a.Id).CompareTo(Order(b.Id)));
        foreach (var t in targetRows)
        {
            var (verdict, gap) = Verdict(t.Ratio, t.Goal, t.AtLeast);
            var ratio = t.Unit == "x" ? X(t.Ratio) : "—";
            if (corrected.TryGetValue(t.Id, out var c) && !double.IsNaN(c)) ratio += $" ({X(c)} corrected)";
            var goal = double.IsNaN(t.Goal) ? "—" : t.Unit switch
            {
                "x" => $"{(t.AtLeast ? "≥" : "≤")} {t.Goal:0.##}×",
                "all 201" => "all 201",  // the measured figure is the count of other answers, which must be 0
                _ => $"{(t.AtLeast ? "≥" : "≤")} {t.Goal:0.##} {t.Unit}",
            };
            md.AppendLine($"| {t.Id} | {t.Name} | {t.Measured} | {t.Reference} | {ratio} | {goal} | **{verdict}**{(gap.Length > 0 ? $" ({gap})" : "")} |");
        }
        md.AppendLine();
        md.AppendLine(mode == "smoke"
            ? "In a smoke run the verdicts mean nothing (2-second runs, 3 requests, cold JIT); the run fails only when a step or a check fails."
            : "A ratio is the service's figure over the reference's, both means over the rounds of this run (for 2b: the peer's median over the " +
              "service's); the verdict uses it as measured. \"corrected\": the same ratio after scaling each target's req/s up by the share of " +
              "both cores that work outside the bench (the other engineer's builds and tests) took during its runs, from /proc — a rough " +
              "correction for interference that did not fall evenly. Why each miss happens, and what would close it: " +
              "[Where the time goes](#where-the-time-goes-and-what-would-close-the-gaps).");
        md.AppendLine();

        // ---- scenario 1 and 3 ------------------------------------------------------------------------------------------
        WrkSection(md, "1. submit-purchase, 96 rows (one day)", "submit96", s96, wrk,
            "POST of the same 4.8 kB body (2025-01-15, 96 local quarter-hours) over and over; wrk with " +
            $"{M("params").Split(' ').FirstOrDefault(p => p.StartsWith("connections="))?.Split('=')[1] ?? "16"} connections. The limit receives the same body " +
            "and does the same transaction (purchase row, outbox row, binary COPY of 96 rows, commit) without authentication, parsing or validation.");
        // ---- scenario 2 -------------------------------------------------------------------------------------------------
        md.AppendLine("## 2. submit-purchase, 35,040 rows (one year)");
        md.AppendLine();
        md.AppendLine("The local quarter-hours of 2025 in Europe/Madrid (the spring-forward hour skipped, the fall-back hour twice): a " +
                      "1.75 MB body. Sequential requests, one at a time, interleaved request by request between the targets (service, limit, " +
                      "peer, service, …) so that noise falls on all alike; one discarded warm-up request each. Latency = request sent → whole response read.");
        md.AppendLine();
        md.AppendLine("| target | n | median | p95 | min | max | errors | ratio of medians |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (t, l) in year)
        {
            if (l is null) continue;
            var ratio = t == "svc" ? "—" : $"service / {TargetNames[t]} = {Div(year["svc"]?.D("median_ms"), l.D("median_ms")):0.00}×";
            md.AppendLine($"| {TargetNames[t]} | {l.D("n")} | {Ms(l.D("median_ms"))} | {Ms(l.D("p95_ms"))} | {Ms(l.D("min_ms"))} | {Ms(l.D("max_ms"))} | {l.D("errors")} | {ratio} |");
        }
        md.AppendLine();
        if (year["svc"] is { } ys)
        {
            var cpu = ys.Cpu("cpu_all_targets");
            if (cpu.Count > 0)
                md.AppendLine($"CPU over the whole interleaved sequence (all targets together): {string.Join(", ", cpu.Where(c => Groups.Contains(c.Key) && c.Value > 0.005).Select(c => $"{GroupNames[c.Key]} {c.Value:0.0} s"))}; " +
                              $"machine busy {Pct(Get(cpu, "busy_s") / Get(cpu, "capacity_s"))}. The per-request split is in the profiling section.");
            md.AppendLine();
        }
        WrkSection(md, "3. get-purchase", "get", get, wrk,
            "GET of one purchase whose outputs were set with update-purchase (3 models × 96 numbers, as the peer's bench.sh does). " +
            "The limit answers the same purchase from the same database with one SELECT (purchase LEFT JOIN its outbox entry) " +
            "and the same JSON fields, without authentication. The purchase read is created just before this scenario, so it is " +
            "the newest one, as when a client polls what it has just submitted (the service's query cost depends on where the " +
            $"purchase's id falls in outbox_entries: see the findings). The tables at that point: {M("tables_before_get")}.");
        if (Wrk("get-oldest", "svc") is { } oldest && get["svc"] is { } newest)
        {
            md.AppendLine($"The same GET by the service on the **oldest** purchase (created before scenario 1), one run right after: " +
                          $"{Num(oldest.Rps, 1)} req/s, p50 {Ms(oldest.P50)}, p99 {Ms(oldest.P99)}, {oldest.Errors} errors " +
                          $"({Div(oldest.Rps, newest.Rps):0.00}× the newest purchase's req/s; CPU per request: service {Num(Get(oldest.CpuMsPerRequest, "svc"), 2)} ms, " +
                          $"PostgreSQL {Num(Get(oldest.CpuMsPerRequest, "pg"), 2)} ms).");
            md.AppendLine();
        }

        // ---- scenario 4 -------------------------------------------------------------------------------------------------
        md.AppendLine("## 4. The outbox");
        md.AppendLine();
        if (drain is not null)
        {
            md.AppendLine($"**Drain.** {drain.D("entries"):0} purchases with their outbox entries inserted **directly with SQL** in one transaction " +
                          "(the same columns the service writes, no schedule rows: the drain never reads them), then `NOTIFY purchases_outbox` " +
                          "(the service listens and nudges its drain, as after a CLI replay). Timed from the commit until every entry is " +
                          "`submitted` in the database (polled every 100 ms).");
            md.AppendLine();
            md.AppendLine("| entries | submitted | failed | seconds | entries/s | first at Argo | last at Argo | rate at Argo |");
            md.AppendLine("|---|---|---|---|---|---|---|---|");
            md.AppendLine($"| {drain.D("entries"):0} | {drain.D("submitted"):0} | {drain.D("failed"):0} | {Num(drain.D("seconds"), 2)} | " +
                          $"**{Num(drain.D("entries_per_s"), 0)}** | +{Ms(drain.D("first_at_argo_ms"))} | +{Ms(drain.D("last_at_argo_ms"))} | {Num(drain.D("argo_rate_per_s"), 0)} /s |");
            md.AppendLine();
            md.AppendLine($"CPU during the drain: {CpuText(drain.Cpu())}.");
            md.AppendLine();
        }
        if (pace is not null)
        {
            md.AppendLine($"**Commit→Argo latency.** Open-loop submits of the 96-row body at {Num(pace.D("rate"), 0)}/s (achieved " +
                          $"{Num(pace.D("achieved_rate"), 1)}/s; {pace.D("planned"):0} planned, {pace.D("created"):0} created, {pace.D("errors"):0} errors, " +
                          $"{pace.D("missing_at_argo"):0} never reached the fake Argo), after {pace.D("warmup_sends"):0} unmeasured sends at the same " +
                          "rate from the same driver process, so that its own warm-up is not measured. Latency = the fake Argo's receive time minus the moment the " +
                          "201 reached the driver (a slight under-estimate of commit→Argo, since the commit precedes the 201; it can even be " +
                          "negative, as the drain is nudged before the response is written), and, for comparison, minus the outbox entry's " +
                          "`created_at` (taken just before the transaction starts: a slight over-estimate).");
            md.AppendLine();
            md.AppendLine("| from | p50 | p99 | min | max |");
            md.AppendLine("|---|---|---|---|---|");
            md.AppendLine($"| the 201's arrival (**the figure used for the targets**) | {Ms(pace.D("lag201_p50_ms"))} | {Ms(pace.D("lag201_p99_ms"))} | {Ms(pace.D("lag201_min_ms"))} | {Ms(pace.D("lag201_max_ms"))} |");
            md.AppendLine($"| the entry's `created_at` | {Ms(pace.D("lagcreated_p50_ms"))} | {Ms(pace.D("lagcreated_p99_ms"))} | | |");
            md.AppendLine();
            md.AppendLine($"Submit latency meanwhile: p50 {Ms(pace.D("submit_p50_ms"))}, p99 {Ms(pace.D("submit_p99_ms"))}. CPU (the unmeasured sends included): {CpuText(pace.Cpu())}.");
            md.AppendLine();
        }

        // ---- scenario 5 -------------------------------------------------------------------------------------------------
        md.AppendLine("## 5. Memory");
        md.AppendLine();
        if (memory is not null)
            md.AppendLine($"Peak RSS of the service process (VmHWM from /proc/<pid>/status) over scenarios 1–4: **{Mib(memory.D("vmhwm_kb"))}** " +
                          $"(RSS at the end {Mib(memory.D("vmrss_kb"))}: {Mib(memory.D("rss_anon_kb"))} anonymous — GC heap, JIT-compiled code, native " +
                          $"allocations, thread stacks —, {Mib(memory.D("rss_file_kb"))} file-backed — the mapped assemblies and native libraries — and " +
                          $"{Mib(memory.D("rss_shmem_kb"))} shared — the runtime's double-mapped (W^X) executable memory, i.e. JIT-compiled code —, " +
                          $"{memory.D("threads"):0} threads; after start-up, before any request: {Mib(ParseD(M("service_rss_after_start_kb")))}, {M("service_rss_after_start_detail")}). " +
                          $"For scale, the limits app (same runtime, Kestrel, Npgsql, the 35,040-row set pre-built in memory) peaked at {Mib(memory.D("limit_vmhwm_kb"))}. " +
                          $"GC: the service {(M("runtimeconfig").Contains("\"System.GC.Server\":false") ? "workstation" : M("runtimeconfig").Contains("\"System.GC.Server\":true") ? "Server" : "?")} " +
                          "(its published runtimeconfig.json), the limits app Server GC (the Web SDK's default)." +
                          (variantMemory is null ? "" : $" The variant instance peaked at {Mib(variantMemory.D("vmhwm_kb"))}.") +
                          (meta.ContainsKey("service_memory_after_1_3")
                              ? $" After the same work (scenarios 1–3; scenario 4 drives only the service): service {M("service_memory_after_1_3")}" +
                                (meta.ContainsKey("variant_memory_after_1_3") ? $" variant {M("variant_memory_after_1_3")}" : "")
                              : ""));
        md.AppendLine();
        var gcdump = raw.Length > 0 ? Path.Combine(raw, "service.gcdump.txt") : "";
        if (gcdump.Length > 0 && File.Exists(gcdump))
        {
            md.AppendLine($"What the service's GC heap holds after scenarios 1–4 (`dotnet-gcdump`, after the full collection it forces; RSS then: {M("service_rss_after_gcdump")}):");
            md.AppendLine();
            md.AppendLine("```");
            md.AppendLine(File.ReadAllText(gcdump).TrimEnd());
            md.AppendLine("```");
            md.AppendLine();
        }

        // ---- scenario 6 -------------------------------------------------------------------------------------------------
        var reconcile = lines.LastOrDefault(l => l.Kind == "reconcile" && l.S("scenario") == "reconcile");
        var (watched, polled) = (lines.LastOrDefault(l => l.S("scenario") == "reconcile-watch-true"),
            lines.LastOrDefault(l => l.S("scenario") == "reconcile-watch-false"));
        if (reconcile is not null || Wrk("rc-submit96", "rc-on") is not null)
        {
            md.AppendLine("## 6. The reconciler");
            md.AppendLine();
            md.AppendLine("A third instance of the same build runs only the reconciler (`Reconcile:Interval` and `Reconcile:MaxInterval` 1 s; the service's own " +
                          "reconciler is off in every scenario, so scenarios 1–5 are measured as before).");
            md.AppendLine();
        }
        if (reconcile is not null)
        {
            md.AppendLine($"**Rate.** {reconcile.D("n"):0} purchases whose workflows Argo accepted (purchases and `submitted` entries inserted " +
                          "with SQL, their workflows seeded at the instant fake Argo), then every workflow answering `Failed`; timed from the " +
                          "first purchase the reconciler failed to the last (their `updated_at`), so the job's schedule does not count.");
            md.AppendLine();
            md.AppendLine("| purchases | failed | seconds (first → last) | purchases/s | all failed after | list calls | GETs | Argo calls per purchase |");
            md.AppendLine("|---|---|---|---|---|---|---|---|");
            md.AppendLine($"| {reconcile.D("n"):0} | {reconcile.D("failed"):0} | {Num(reconcile.D("span_s"), 3)} | **{Num(reconcile.D("purchases_per_s"), 0)}** | " +
                          $"{Num(reconcile.D("all_failed_after_s"), 2)} s | {reconcile.D("lists"):0} | {reconcile.D("gets"):0} | **{Num(reconcile.D("calls_per_purchase"), 3)}** |");
            md.AppendLine();
            md.AppendLine($"CPU meanwhile: {CpuText(reconcile.Cpu())}.");
            md.AppendLine();
        }
        if (Wrk("rc-submit96", "rc-on") is { } submitOn && Wrk("rc-submit96", "rc-off") is { } submitOff &&
            Wrk("rc-get", "rc-on") is { } getOn && Wrk("rc-get", "rc-off") is { } getOff)
        {
            md.AppendLine($"**Cost while it runs.** The same {reconcile?.D("n") ?? 0:0} purchases back to pending with every workflow `Running`, " +
                          "so the reconciler re-reads all of them every second (plus those the submit run in progress adds): a reconciler that " +
                          "never idles, 30 times the default `Reconcile:Interval` (30 s) and 300 times the default `Reconcile:MaxInterval` " +
                          "(5 min) for a workflow running for an hour, so an upper bound of its cost. Submit-96 and get " +
                          "against the service while the reconciler instance runs and while it is paused (SIGSTOP), rounds alternating.");
            md.AppendLine();
            md.AppendLine("| scenario | reconciler running: req/s | p99 | paused: req/s | p99 | running / paused |");
            md.AppendLine("|---|---|---|---|---|---|");
            md.AppendLine($"| submit-96 | {Num(submitOn.Rps, 0)} | {Ms(submitOn.P99)} | {Num(submitOff.Rps, 0)} | {Ms(submitOff.P99)} | **{Div(submitOn.Rps, submitOff.Rps):0.00}×** |");
            md.AppendLine($"| get | {Num(getOn.Rps, 0)} | {Ms(getOn.P99)} | {Num(getOff.Rps, 0)} | {Ms(getOff.P99)} | **{Div(getOn.Rps, getOff.Rps):0.00}×** |");
            md.AppendLine();
            md.AppendLine($"Argo meanwhile: {M("reconcile_fake_argo")}.");
            md.AppendLine();
        }
        if (watched is not null && polled is not null)
        {
            md.AppendLine($"**How soon a failure shows, with Argo's watch and without (6c).** {watched.D("n"):0} workflows recorded `Running`, " +
                          "then all turning `Failed`, at the default cadence (`Reconcile:Interval` 30 s, `Reconcile:MaxInterval` 5 min): a " +
                          "fresh reconciler instance with `Reconcile:Watch` on, then one with it off, each on purchases of its own. " +
                          "Timed from the fake Argo's change to the last purchase failed.");
            md.AppendLine();
            md.AppendLine("| `Reconcile:Watch` | purchases | every purchase failed after | first → last failed | watch events | list calls | GETs |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var (label, line) in new[] { ("on", watched), ("off", polled) })
                md.AppendLine($"| {label} | {line.D("failed"):0} | **{Num(line.D("all_failed_after_s"), 2)} s** | {Num(line.D("span_s"), 2)} s | " +
                              $"{line.D("watch_events"):0} | {line.D("lists"):0} | {line.D("gets"):0} |");
            md.AppendLine();
        }

        // ---- scenario 7 -------------------------------------------------------------------------------------------------
        var listFirst = Wrk("list-first", "svc");
        var rows = lines.Where(l => l.Kind == "rows").ToList();
        if (listFirst is not null || rows.Count > 0)
        {
            md.AppendLine("## 7. What retailers read: their purchase list, a year's rows");
            md.AppendLine();
        }
        if (listFirst is not null)
        {
            md.AppendLine($"**List.** After scenario 6, {M("list_purchases_of_user")} purchases belong to the benchmark's customer " +
                          "(100,000 of them inserted with SQL, 1 % `failed`). `GET …/purchases?limit=100`: the first page, a page " +
                          "halfway down (the cursor of the purchase in the middle), and the first page of `status=failed`.");
            md.AppendLine();
            md.AppendLine("| page | req/s | p50 | p99 |");
            md.AppendLine("|---|---|---|---|");
            foreach (var (name, label) in new[] { ("list-first", "first page"), ("list-deep", "halfway down"), ("list-failed", "status=failed") })
                if (Wrk(name, "svc") is { } a)
                    md.AppendLine($"| {label} | **{Num(a.Rps, 0)}** | {Ms(a.P50)} | {Ms(a.P99)} |");
            md.AppendLine();
        }
        if (rows.Count > 0)
        {
            md.AppendLine("**Rows read-back.** `GET …/purchase/{id}/rows` of the year-long purchase (35,040 rows) submitted before " +
                          "scenario 1, sequential requests, by curl; the service's RSS sampled every 20 ms meanwhile.");
            md.AppendLine();
            md.AppendLine("| format | requests | median | max | first byte (median) | body | RSS before | RSS peak |");
            md.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var r in rows)
                md.AppendLine($"| {r.S("format")} | {r.D("n"):0} | **{Ms(r.D("median_ms"))}** | {Ms(r.D("max_ms"))} | {Ms(r.D("first_byte_median_ms"))} | " +
                              $"{Num(r.D("bytes") / 1e6, 2)} MB | {Mib(r.D("rss_before_kb"))} | {Mib(r.D("rss_peak_kb"))} |");
            md.AppendLine();
        }

        // ---- scenario 8 -------------------------------------------------------------------------------------------------
        if (lines.LastOrDefault(l => l.Kind == "webhooks") is { } hooks)
        {
            md.AppendLine("## 8. Webhook deliveries to an instant receiver");
            md.AppendLine();
            md.AppendLine("An endpoint registered through the API (`POST …/webhooks`, `purchase.completed`) at `Purchases.Bench webhook-receiver` " +
                          "(plain http on loopback, allowed for the bench with `Webhooks:AllowHttp` and `Webhooks:AllowPrivateAddresses`; every POST " +
                          $"answered 204 at once). {hooks.D("n"):0} completed purchases and one `webhook.delivery` entry each, with the event's payload, " +
                          "inserted **directly with SQL** in one transaction, then `NOTIFY purchases_outbox`, as in scenario 4. The service's drain " +
                          "signs and POSTs each one. Timed from the commit to the last entry's `submitted_at`; the lag of each delivery is its " +
                          $"`submitted_at − created_at` (`created_at` is the transaction's start: the insert and commit took {Ms(hooks.D("insert_commit_ms"))}).");
            md.AppendLine();
            md.AppendLine("| deliveries | submitted | failed | seconds | deliveries/s | lag p50 | lag p99 | lag max | failed attempts | receiver: requests | distinct webhook-ids |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
            md.AppendLine($"| {hooks.D("n"):0} | {hooks.D("submitted"):0} | {hooks.D("failed"):0} | {Num(hooks.D("seconds"), 2)} | **{Num(hooks.D("deliveries_per_s"), 0)}** | " +
                          $"{Ms(hooks.D("lag_p50_ms"))} | {Ms(hooks.D("lag_p99_ms"))} | {Ms(hooks.D("lag_max_ms"))} | {hooks.D("failed_attempts"):0} | " +
                          $"{hooks.D("receiver", "requests"):0} | {hooks.D("receiver", "distinct_ids"):0} |");
            md.AppendLine();
            md.AppendLine($"First delivery submitted +{Ms(hooks.D("first_submitted_ms"))} after the commit, the last +{Ms(hooks.D("last_submitted_ms"))}. " +
                          $"CPU meanwhile: {CpuText(hooks.Cpu())}.");
            md.AppendLine();
        }

        // ---- scenario 9 -------------------------------------------------------------------------------------------------
        if (volume is not null)
        {
            md.AppendLine("## 9. A large retailer's year: the same work on a volume database");
            md.AppendLine();
            md.AppendLine($"A second database in the same cluster, migrated by the service, filled by `Purchases.Bench volume-fill`: " +
                          $"**{Num(volume.D("purchases"), 0)} purchases and {Num(volume.D("rows"), 0)} schedule rows** created over the last " +
                          $"{volume.D("months"):0} months (UUIDv7 ids at their creation, so the rows fall into {volume.D("partitions"):0} partitions of " +
                          $"`purchase_rows`), 1 % of them the benchmark's customer's, 1 % with a failed Argo entry (failed entries: {M("volume_failed_entries")}). Binary COPY on " +
                          $"{volume.D("workers"):0} connections: **{Num(volume.D("fill_seconds"), 0)} s** ({Num(volume.D("rows_per_s"), 0)} rows/s), " +
                          $"then VACUUM (ANALYZE) {Num(volume.D("vacuum_seconds"), 0)} s and a CHECKPOINT {Num(volume.D("checkpoint_seconds"), 0)} s (what the load left dirty, written out before anything is measured). On disk: the database {Num(volume.D("database_bytes") / 1e9, 2)} GB, " +
                          $"`purchase_rows` {Num(volume.D("rows_bytes") / 1e9, 2)} GB, `purchases` {Num(volume.D("purchases_bytes") / 1e9, 2)} GB. " +
                          "Each database is served by a fresh instance of the same build, both started for this scenario and warmed with the same " +
                          "loads (the instance that ran scenarios 1–8 and the variant are paused meanwhile), so that only the database differs. Rounds alternate which goes first.");
            md.AppendLine();
            md.AppendLine("| scenario | small database | volume database | times slower |");
            md.AppendLine("|---|---|---|---|");
            foreach (var (scenario, name) in new[] { ("vol-submit96", "submit-96"), ("vol-get", "get"), ("vol-outbox-list", "failed outbox entries, 100 a page (operator)") })
            {
                var (small, big) = (Wrk(scenario, "small"), Wrk(scenario, "volume"));
                string WrkRounds(string side) => string.Join(", ", wrk.Where(l => l.S("scenario") == scenario && l.S("target") == side)
                    .OrderBy(l => l.D("round")).Select(l => Num(l.D("wrk", "rps"), 0)));
                md.AppendLine($"| {name} (req/s of the rounds: {WrkRounds("small")} / {WrkRounds("volume")}) | {Rps(small)}, p99 {Ms(small?.P99)} | {Rps(big)}, p99 {Ms(big?.P99)} | **{X(Div(small?.Rps, big?.Rps))}** |");
            }
            md.AppendLine($"| submit-35,040 (median of {VolSeq("small")?.D("n"):0}) | {Ms(VolSeq("small")?.D("median_ms"))} | {Ms(VolSeq("volume")?.D("median_ms"))} | **{X(Div(VolSeq("volume")?.D("median_ms"), VolSeq("small")?.D("median_ms")))}** |");
            string Rounds(string target) => string.Join(", ", VolDrains(target).Select(l => Num(l.D("entries_per_s"), 0)));
            md.AppendLine($"| outbox drain ({VolDrains("small").FirstOrDefault()?.D("entries"):0} entries; mean of the rounds: {Rounds("small")} / {Rounds("volume")}) | " +
                          $"{Num(VolDrainRate("small"), 0)} /s | {Num(VolDrainRate("volume"), 0)} /s | **{X(Div(VolDrainRate("small"), VolDrainRate("volume")))}** |");
            md.AppendLine();
        }

        // ---- scenario 10 ------------------------------------------------------------------------------------------------
        if (burst is not null)
        {
            md.AppendLine("## 10. Year-long submits all at once");
            md.AppendLine();
            md.AppendLine($"A fresh instance of the Release service on the small database (after one warm-up year) receives **{burst.D("concurrency"):0} " +
                          $"year-long submits at once** (35,040 rows, 1.75 MB each, one connection each), {burst.D("waves"):0} wave(s) one after another: " +
                          $"{burst.D("ok"):0} of {burst.D("n"):0} answered 201 (statuses {burst.S("statuses")}) in {Num(burst.D("seconds"), 1)} s, " +
                          $"median {Ms(burst.D("median_ms"))}, slowest {Ms(burst.D("max_ms"))}. Its peak RSS (VmHWM): {Mib(burst.D("vmhwm_before_kb"))} " +
                          $"after start-up and the warm-up, **{Mib(burst.D("vmhwm_kb"))}** after the burst.");
            md.AppendLine();
        }

        // ---- scenario 11 ------------------------------------------------------------------------------------------------
        if (readiness is not null)
        {
            md.AppendLine("## 11. The readiness probe behind a long Argo outage");
            md.AppendLine();
            md.AppendLine($"A database of its own with **{Num(readiness.D("waiting"), 0)} purchases whose entries wait in the outbox** and " +
                          $"{Num(readiness.D("running"), 0)} whose workflows run, created over the last two hours and analyzed (filled in {M("backlog_fill")}); " +
                          $"an instance of the service with Argo unset, probed {readiness.D("probes"):0} times a second apart. The first probe waits for the " +
                          $"figures' first count: **{Ms(readiness.D("first_ms"))}** (until 2026-12-08 every probe waited for a count like it). The others: median {Ms(readiness.D("median_ms"))}, slowest " +
                          $"**{Ms(readiness.D("max_ms"))}**, {readiness.D("over_1s"):0} over a second (Kubernetes' default probe timeout). A probe waits at most " +
                          "250 ms for a count, then answers with the last figures after a ping; a count slower than that is repeated no sooner than ten times " +
                          "its duration later.");
            md.AppendLine();
        }

        // ---- CPU per request --------------------------------------------------------------------------------------------
        md.AppendLine("## CPU per request, by process (from /proc, same runs as above)");
        md.AppendLine();
        md.AppendLine("CPU time of each process tree during the measured seconds, divided by the requests completed: what each request " +
                      "costs whoever serves it. \"rest of the machine\" is everything else that ran meanwhile (mostly the other engineer's work), " +
                      "in ms per request of the run (approximate: the kernel's per-process and whole-machine accounting differ by a few " +
                      "percent, so a small negative value means none); \"busy\" is the share of both cores in use.");
        md.AppendLine();
        md.AppendLine("| scenario | target | requests | service | service (variant) | limits app | fake Argo | PostgreSQL | peer gunicorn | peer PostgreSQL | wrk | rest of the machine | busy | load before |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (scenario, set) in new[] { ("submit-96", s96), ("get", get) })
            foreach (var (t, a) in set)
                if (a is not null)
                    md.AppendLine($"| {scenario} | {TargetNames[t]} | {a.Requests} | {CpuCells(a.CpuMsPerRequest)} | {Pct(a.BusyShare)} | {a.Load1:0.0} |");
        md.AppendLine();
        var costLines = new List<string>();
        foreach (var (scenario, set) in new[] { ("submit-96", s96), ("get", get) })
        {
            var svcCost = set["svc"] is { } sv ? Get(sv.CpuMsPerRequest, "svc") + Get(sv.CpuMsPerRequest, "variant") + Get(sv.CpuMsPerRequest, "pg") + Get(sv.CpuMsPerRequest, "fake") : double.NaN;
            var limitCost = set["limit"] is { } li ? Get(li.CpuMsPerRequest, "limit") + Get(li.CpuMsPerRequest, "pg") : double.NaN;
            var drainingCost = set.GetValueOrDefault("limitd") is { } ld
                ? Get(ld.CpuMsPerRequest, "limit") + Get(ld.CpuMsPerRequest, "pg") + Get(ld.CpuMsPerRequest, "fake") : double.NaN;
            var peerCost = set["peer"] is { } pe ? Get(pe.CpuMsPerRequest, "peer") + Get(pe.CpuMsPerRequest, "peerpg") : double.NaN;
            var parts = new List<string> { $"service + its PostgreSQL + fake Argo {Num(svcCost, 2)} ms" };
            if (!double.IsNaN(limitCost)) parts.Add($"limit + PostgreSQL {Num(limitCost, 2)} ms (service/limit {X(Div(svcCost, limitCost))})");
            if (!double.IsNaN(drainingCost)) parts.Add($"limit with the drain + PostgreSQL + fake Argo {Num(drainingCost, 2)} ms (service/it {X(Div(svcCost, drainingCost))})");
            if (!double.IsNaN(peerCost)) parts.Add($"peer + its PostgreSQL {Num(peerCost, 2)} ms (peer/service {X(Div(peerCost, svcCost))})");
            costLines.Add($"- {scenario}: {string.Join("; ", parts)}.");
        }
        md.AppendLine("CPU cost per request of each whole stack (another view of the ratios, less sensitive to how the other engineer's load " +
                      "happened to fall on each run, but inflated for all under contention):");
        md.AppendLine();
        foreach (var l in costLines) md.AppendLine(l);
        md.AppendLine();

        // ---- profiling --------------------------------------------------------------------------------------------------
        var profiles = lines.Where(l => l.Kind == "profile").ToList();
        if (profiles.Count > 0)
        {
            md.AppendLine("## Profiling data (a separate phase after the measurements)");
            md.AppendLine();
            md.AppendLine("Each service run below had `dotnet-trace` (sampled thread time) and `dotnet-counters` attached and " +
                          "`pg_stat_statements` on, so its throughput is lower than above; the limits ran the same load right after, without the tools. " +
                          "CPU per request in ms:");
            md.AppendLine();
            md.AppendLine("| run | requests | service | limits app | fake Argo | PostgreSQL | wrk / driver |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var p in profiles)
            {
                var requests = p.D("requests");
                var cpu = p.Cpu();
                md.AppendLine($"| {p.S("scenario")} | {requests:0} | " +
                              string.Join(" | ", new[] { "svc", "limit", "fake", "pg", "driver" }.Select(g => Num(Get(cpu, g) * 1000 / requests, 2))) + " |");
            }
            md.AppendLine();
            var newestPgss = Path.Combine(raw, "prof-get-newest.pgss.txt");
            if (File.Exists(newestPgss))
            {
                md.AppendLine("### get on the newest purchase: the statements (pg_stat_statements, a short wrk run without the .NET tools)");
                md.AppendLine();
                md.AppendLine("```");
                md.AppendLine(File.ReadAllText(newestPgss).TrimEnd());
                md.AppendLine("```");
                md.AppendLine();
                var newestStatements = Path.Combine(raw, "prof-get-newest.statements.sql");
                if (File.Exists(newestStatements))
                {
                    md.AppendLine("<details><summary>Full text of the most expensive statements</summary>");
                    md.AppendLine();
                    md.AppendLine("```sql");
                    md.AppendLine(File.ReadAllText(newestStatements).TrimEnd());
                    md.AppendLine("```");
                    md.AppendLine("</details>");
                    md.AppendLine();
                }
            }
            foreach (var name in new[] { "submit96", "get", "submit35040" })
            {
                var pgss = Path.Combine(raw, $"prof-{name}.pgss.txt");
                var counters = Path.Combine(raw, $"prof-{name}.counters.csv");
                if (!File.Exists(pgss) && !File.Exists(counters)) continue;
                var requests = profiles.FirstOrDefault(p => p.S("scenario") == name)?.D("requests") ?? double.NaN;
                md.AppendLine(name == "get"
                    ? $"### get on the oldest purchase (its query is cheap, so the rest of the path shows): {requests:0} requests"
                    : $"### {name}: {requests:0} requests");
                md.AppendLine();
                if (File.Exists(counters) && CounterSummary(counters, requests) is { Length: > 0 } summary)
                {
                    md.AppendLine("Service: " + summary);
                    md.AppendLine();
                }
                var limitCounters = Path.Combine(raw, $"prof-limit-{name}.counters.csv");
                var limitRequests = profiles.FirstOrDefault(p => p.S("scenario") == $"limit-{name}")?.D("requests") ?? double.NaN;
                if (File.Exists(limitCounters) && CounterSummary(limitCounters, limitRequests) is { Length: > 0 } limitSummary)
                {
                    md.AppendLine($"Limits app, same load right after ({limitRequests:0} requests): " + limitSummary);
                    md.AppendLine();
                }
                if (File.Exists(pgss))
                {
                    md.AppendLine("Statements PostgreSQL executed for the service (pg_stat_statements; `per_request` = calls / requests; the drain's statements included):");
                    md.AppendLine();
                    md.AppendLine("```");
                    md.AppendLine(File.ReadAllText(pgss).TrimEnd());
                    md.AppendLine("```");
                    md.AppendLine();
                }
                var statements = Path.Combine(raw, $"prof-{name}.statements.sql");
                if (File.Exists(statements))
                {
                    md.AppendLine("<details><summary>Full text of the service's most expensive statements (by total time)</summary>");
                    md.AppendLine();
                    md.AppendLine("```sql");
                    md.AppendLine(File.ReadAllText(statements).TrimEnd());
                    md.AppendLine("```");
                    md.AppendLine("</details>");
                    md.AppendLine();
                }
                var limitPgss = Path.Combine(raw, $"prof-limit-{name}.pgss.txt");
                if (File.Exists(limitPgss))
                {
                    md.AppendLine("<details><summary>The same for the limit</summary>");
                    md.AppendLine();
                    md.AppendLine("```");
                    md.AppendLine(File.ReadAllText(limitPgss).TrimEnd());
                    md.AppendLine("```");
                    md.AppendLine("</details>");
                    md.AppendLine();
                }
                var cpuProfile = Path.Combine(raw, $"prof-{name}.cpu.md");
                if (File.Exists(cpuProfile))
                {
                    md.AppendLine("dotnet-trace (sampled thread time, only the samples running managed code), the service's own methods by inclusive time:");
                    md.AppendLine();
                    md.AppendLine(File.ReadAllText(cpuProfile).TrimEnd());
                    md.AppendLine();
                }
            }
        }

        var plans = Path.Combine(raw, "prof-slow-plans.txt");
        if (profiles.Count > 0 && File.Exists(plans) && new FileInfo(plans).Length > 0)
        {
            md.AppendLine("<details><summary>auto_explain: the first plan of each statement that took over 2 ms during the profiling phase (actual rows, no timing)</summary>");
            md.AppendLine();
            md.AppendLine("```");
            md.AppendLine(File.ReadAllText(plans).TrimEnd());
            md.AppendLine("```");
            md.AppendLine("</details>");
            md.AppendLine();
        }

        // ---- method ------------------------------------------------------------------------------------------------------
        md.AppendLine("## How it was measured");
        md.AppendLine();
        md.AppendLine("""
            - One command, `bench/run`: publishes the service in Release from a snapshot of `src/`, builds the harness
              (`bench/Harness`: fake Argo, limits app, drivers, this report), starts a PostgreSQL cluster of its own on loopback
              (PostgreSQL's defaults: fsync and synchronous_commit on, like the peer's), migrates it with the service's CLI
              (`migrate`), issues tokens with it (`customers add`, `tokens issue --role worker|operator`), starts the fake Argo,
              the limits app and the service (`ASPNETCORE_ENVIRONMENT=Production`, `Logging__LogLevel__Default=Warning`,
              `Argo__BaseUrl` = the fake), then the DRF peer with its own `run.sh` (own cluster, gunicorn sync × 4), and stops
              everything at the end, also on failure.
            - wrk runs (`bench/lua/*.lua`): a discarded warm-up, then the measured run; rounds alternate the order of the
              targets; before each run the harness waits until the outbox has nothing due, so that one run's drain does not
              spill into the next.
            - The service's own drain runs during its submit runs (it is part of the service), and the fake Argo answers it on
              the same 2 cores; the limits write outbox entries due in 9999, which no drain picks up.
            - The peer answers `Connection: close` (gunicorn sync workers, as its README runs it): every wrk request is a new
              TCP connection there.
            - CPU per process: utime+stime of each process tree from /proc (reaped children included), before and after.
            """);
        md.AppendLine();

        // ---- findings -------------------------------------------------------------------------------------------------
        var findings = args.Get("findings");
        if (findings is not null && File.Exists(findings))
        {
            md.AppendLine(File.ReadAllText(findings).TrimEnd());
            md.AppendLine();
        }

        File.WriteAllText(args.Required("out"), md.ToString());
        return 0;

        IEnumerable<string> Targets(params string[] t) => t;
    }

    static void WrkSection(StringBuilder md, string title, string scenario, Dictionary<string, Agg?> set, List<Line> wrk, string intro)
    {
        md.AppendLine($"## {title}");
        md.AppendLine();
        md.AppendLine(intro);
        md.AppendLine();
        md.AppendLine("| target | round | load before | CPU taken by others | req/s | p50 | p99 | max | errors |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var l in wrk.Where(l => l.S("scenario") == scenario).OrderBy(l => l.D("round")).ThenBy(l => Array.IndexOf(["svc", "variant", "limit", "limitd", "peer"], l.S("target"))))
        {
            var errors = l.D("wrk", "non2xx3xx") + l.D("wrk", "connect_err") + l.D("wrk", "read_err") + l.D("wrk", "write_err") + l.D("wrk", "timeouts");
            md.AppendLine($"| {TargetNames.GetValueOrDefault(l.S("target"), l.S("target"))} | {l.D("round")} | {l.D("load1_before"):0.0} | {Pct(OthersShare([l.Cpu()]))} | {Num(l.D("wrk", "rps"), 1)} | " +
                          $"{Ms(l.D("wrk", "p50_ms"))} | {Ms(l.D("wrk", "p99_ms"))} | {Ms(l.D("wrk", "max_ms"))} | {errors:0} |");
        }
        foreach (var (t, a) in set)
            if (a is not null)
                md.AppendLine($"| **{TargetNames[t]}, mean** | {a.Rounds} | {a.Load1:0.0} | {Pct(a.OthersShare)} | **{Num(a.Rps, 1)}** | **{Ms(a.P50)}** | **{Ms(a.P99)}** | {Ms(a.Max)} | {a.Errors} |");
        md.AppendLine();
        var svc = set["svc"];
        var ratios = new List<string>();
        string[] references = ["limit", "limitd", "peer"];
        foreach (var other in references)
            if (svc is not null && set.GetValueOrDefault(other) is { } o)
                ratios.Add($"service / {TargetNames[other]}: req/s {X(Div(svc.Rps, o.Rps))}, p50 {X(Div(svc.P50, o.P50))}, p99 {X(Div(svc.P99, o.P99))}");
        var perRound = wrk.Where(l => l.S("scenario") == scenario).GroupBy(l => l.D("round")).OrderBy(g => g.Key)
            .Select(g =>
            {
                var s = g.FirstOrDefault(l => l.S("target") == "svc");
                var parts = new List<string>();
                foreach (var other in references)
                    if (s is not null && g.FirstOrDefault(l => l.S("target") == other) is { } o)
                        parts.Add($"vs {TargetNames[other]} {X(Div(s.D("wrk", "rps"), o.D("wrk", "rps")))}");
                return $"round {g.Key}: {string.Join(", ", parts)}";
            }).ToList();
        if (set.GetValueOrDefault("variant") is { } v && set.GetValueOrDefault("limit") is { } lim2)
            ratios.Add($"service (variant) / limit: req/s {Div(v.Rps, lim2.Rps):0.00}×, p99 {Div(v.P99, lim2.P99):0.00}×; variant / service: req/s {Div(v.Rps, svc?.Rps):0.00}×");
        if (ratios.Count > 0) md.AppendLine($"Ratios of the means: {string.Join("; ", ratios)}. Req/s ratio per round: {string.Join("; ", perRound)}.");
        md.AppendLine();
    }

    static Dictionary<string, double> CpuPerRequest(IEnumerable<Dictionary<string, double>> cpus, long requests)
    {
        var list = cpus.ToList();
        var result = new Dictionary<string, double>();
        foreach (var g in Groups)
            if (list.Any(c => c.ContainsKey(g))) result[g] = list.Sum(c => Get(c, g)) * 1000 / requests;
        var listed = list.Sum(c => Groups.Sum(g => Get(c, g)));
        result["other"] = (list.Sum(c => Get(c, "busy_s")) - listed) * 1000 / requests;
        return result;
    }

    /// <summary>The share of the machine's CPU that went to processes outside the bench (at least 0).</summary>
    static double OthersShare(IEnumerable<Dictionary<string, double>> cpus)
    {
        var list = cpus.ToList();
        var capacity = list.Sum(c => Get(c, "capacity_s"));
        var others = list.Sum(c => Get(c, "busy_s") - Groups.Sum(g => Get(c, g)));
        return capacity > 0 ? Math.Max(0, others / capacity) : 0;
    }

    static double BusyShare(IEnumerable<Dictionary<string, double>> cpus)
    {
        var list = cpus.ToList();
        return list.Sum(c => Get(c, "busy_s")) / list.Sum(c => Get(c, "capacity_s"));
    }

    static string CpuCells(Dictionary<string, double> ms) =>
        string.Join(" | ", new[] { "svc", "variant", "limit", "fake", "pg", "peer", "peerpg", "driver", "other" }
            .Select(g => ms.TryGetValue(g, out var v) ? Num(v, 2) : "—"));

    static string CpuText(Dictionary<string, double> cpu)
    {
        var listed = Groups.Sum(g => Get(cpu, g));
        var parts = Groups.Where(g => Get(cpu, g) > 0.005).Select(g => $"{GroupNames[g]} {Get(cpu, g):0.00} s").ToList();
        parts.Add($"rest of the machine {Get(cpu, "busy_s") - listed:0.00} s");
        return string.Join(", ", parts) + $" (machine busy {Pct(Get(cpu, "busy_s") / Get(cpu, "capacity_s"))})";
    }

    /// <summary>Allocation, GC, CPU, exception and server-side latency figures from a dotnet-counters CSV.</summary>
    static string CounterSummary(string csv, double requests)
    {
        var rows = File.ReadLines(csv).Skip(1).Select(l => l.Split(',')).Where(p => p.Length >= 5).ToList();
        if (rows.Count == 0) return "";
        // Rates are per second at a 1-second refresh: their sum is the total over the collection.
        IEnumerable<string[]> Rates(string name) => rows.Where(r => r[2].StartsWith(name, StringComparison.Ordinal) && r[3] == "Rate");
        double Sum(string name) => Rates(name).Sum(r => ParseD(r[4]));
        double Max(string name) => rows.Where(r => r[2].StartsWith(name, StringComparison.Ordinal)).Select(r => ParseD(r[4])).DefaultIfEmpty(double.NaN).Max();
        string Tag(string counter, string key) =>
            counter.IndexOf(key + "=", StringComparison.Ordinal) is var i and >= 0
                ? new string(counter[(i + key.Length + 1)..].TakeWhile(c => c != ';' && c != ']').ToArray()) : "";
        var parts = new List<string>();
        var allocated = Sum("dotnet.gc.heap.total_allocated");
        if (allocated > 0) parts.Add($"**allocated {allocated / requests / 1024:0.0} KiB per request** ({allocated / 1048576:0} MiB in all)");
        var gcs = Rates("dotnet.gc.collections").GroupBy(r => Tag(r[2], "gc.heap.generation")).OrderBy(g => g.Key)
            .Select(g => $"{g.Key} {g.Sum(r => ParseD(r[4])):0}").ToList();
        if (gcs.Count > 0) parts.Add($"GCs {string.Join(", ", gcs)}");
        var pause = Sum("dotnet.gc.pause.time");
        if (pause > 0) parts.Add($"GC pauses {pause * 1000:0} ms in all");
        var heap = rows.Where(r => r[2].StartsWith("dotnet.gc.last_collection.heap.size", StringComparison.Ordinal))
            .GroupBy(r => r[0]).Select(g => g.Sum(r => ParseD(r[4]))).DefaultIfEmpty(double.NaN).Max();
        if (!double.IsNaN(heap)) parts.Add($"GC heap after a collection up to {heap / 1048576:0} MiB");
        var committed = Max("dotnet.gc.last_collection.memory.committed_size");
        if (!double.IsNaN(committed)) parts.Add($"GC committed up to {committed / 1048576:0} MiB");
        var ws = Max("dotnet.process.memory.working_set");
        if (!double.IsNaN(ws)) parts.Add($"working set up to {ws / 1048576:0} MiB");
        var cpuUser = Rates("dotnet.process.cpu.time").Where(r => Tag(r[2], "cpu.mode") == "user").Sum(r => ParseD(r[4]));
        var cpuSystem = Rates("dotnet.process.cpu.time").Where(r => Tag(r[2], "cpu.mode") == "system").Sum(r => ParseD(r[4]));
        if (cpuUser + cpuSystem > 0)
            parts.Add($"process CPU {(cpuUser + cpuSystem) * 1000 / requests:0.00} ms per request ({cpuSystem / (cpuUser + cpuSystem) * 100:0}% in the kernel)");
        var contentions = Sum("dotnet.monitor.lock_contentions");
        if (contentions > 0) parts.Add($"lock contentions {contentions:0}");
        var jit = Sum("dotnet.jit.compiled_methods");
        if (jit > 0) parts.Add($"methods JIT-compiled meanwhile {jit:0}");
        var exceptions = Rates("dotnet.exceptions").GroupBy(r => Tag(r[2], "error.type"))
            .Select(g => (g.Key, Count: g.Sum(r => ParseD(r[4])))).Where(x => x.Count > 0).Select(x => $"{x.Key} {x.Count:0}").ToList();
        if (exceptions.Count > 0) parts.Add($"exceptions {string.Join(", ", exceptions)} (wrk cuts its connections at the end of a run)");
        var durations = rows.Where(r => r[2].StartsWith("http.server.request.duration", StringComparison.Ordinal) &&
                                        (r[2].Contains("status_code=200;", StringComparison.Ordinal) || r[2].Contains("status_code=201;", StringComparison.Ordinal)))
            .GroupBy(r => Tag(r[2], "Percentile")).Where(g => g.Key.Length > 0)
            .Select(g => $"p{g.Key} {Stats.F(g.Select(r => ParseD(r[4])).Average() * 1000, 1)} ms").ToList();
        if (durations.Count > 0) parts.Add($"server-side request duration (Kestrel's meter, mean of the 1-s windows): {string.Join(", ", durations)}");
        return parts.Count == 0 ? "" : "dotnet-counters: " + string.Join("; ", parts) + ".";
    }

    static (string Verdict, string Gap) Verdict(double value, double goal, bool atLeast)
    {
        if (double.IsNaN(value)) return ("n/a", "not measured in this run");
        if (double.IsNaN(goal)) return ("—", "");
        if (atLeast)
            return value >= goal ? ("PASS", "") : ("MISS", $"needs ×{Factor(goal / value)} more");
        if (value <= goal) return ("PASS", "");
        return goal == 0 ? ("MISS", $"{value:0.##} over") : ("MISS", $"×{Factor(value / goal)} over");

        static string Factor(double f) => f.ToString(f < 1.01 ? "0.000" : "0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>A ratio with enough digits to tell tiny ones apart (0.003×, 0.73×, 12.4×).</summary>
    static string X(double r) => double.IsNaN(r) ? "n/a" : (r < 0.1 ? r.ToString("0.000", CultureInfo.InvariantCulture) : r.ToString("0.00", CultureInfo.InvariantCulture)) + "×";

    static double Get(Dictionary<string, double> d, string k) => d.TryGetValue(k, out var v) ? v : 0;
    static double Div(double? a, double? b) => a is { } x && b is { } y && y != 0 ? x / y : double.NaN;
    static double ParseD(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
    static string Num(double? v, int decimals) => v is { } x && !double.IsNaN(x) ? x.ToString("N" + decimals, CultureInfo.InvariantCulture) : "n/a";
    static string Ms(double? v) => v is { } x && !double.IsNaN(x) ? $"{x.ToString(x >= 100 ? "N0" : "N1", CultureInfo.InvariantCulture)} ms" : "n/a";
    static string Rps(Agg? a) => a is null ? "n/a" : $"{Num(a.Rps, 1)} req/s";
    static string Mib(double? kb) => kb is { } x && !double.IsNaN(x) ? $"{x / 1024:0} MiB" : "n/a";
    static string Pct(double v) => double.IsNaN(v) ? "n/a" : $"{v * 100:0}%";

    static string Rel(string path)
    {
        var full = Path.GetFullPath(path);
        var marker = $"{Path.DirectorySeparatorChar}bench{Path.DirectorySeparatorChar}";
        var i = full.LastIndexOf(marker, StringComparison.Ordinal);
        return i >= 0 && !full.StartsWith("/tmp", StringComparison.Ordinal) ? full[(i + 1)..] : full;
    }
}
