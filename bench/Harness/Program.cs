using Purchases.Bench;

// One executable for every part of the bench that is not wrk: see bench/README.md.
return args.Length == 0 ? Usage() : args[0] switch
{
    "bodies" => Bodies.Run(new Args(args[1..])),
    "fake-argo" => await FakeArgo.RunAsync(new Args(args[1..])),
    "limits" => await Limits.RunAsync(new Args(args[1..])),
    "seq" => await Sequential.RunAsync(new Args(args[1..])),
    "burst" => await Burst.RunAsync(new Args(args[1..])),
    "pace" => await Paced.RunAsync(new Args(args[1..])),
    "outbox-fill" => await OutboxFill.RunAsync(new Args(args[1..])),
    "reconcile-rate" => await ReconcileRate.RunAsync(new Args(args[1..])),
    "webhook-receiver" => await WebhookReceiver.RunAsync(new Args(args[1..])),
    "webhook-rate" => await WebhookRate.RunAsync(new Args(args[1..])),
    "volume-fill" => await VolumeFill.RunAsync(new Args(args[1..])),
    "report" => Report.Run(new Args(args[1..])),
    "profile-summary" => ProfileSummary.Run(new Args(args[1..])),
    "freeport" => FreePort(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Purchases.Bench bodies|fake-argo|limits|seq|burst|pace|outbox-fill|reconcile-rate|webhook-receiver|webhook-rate|volume-fill|report|freeport [--option value]...");
    return 2;
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    Console.WriteLine(((System.Net.IPEndPoint)listener.LocalEndpoint).Port);
    return 0;
}
