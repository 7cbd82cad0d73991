namespace Purchases.Tests.Infrastructure;

/// <summary>
/// A draining host whose reconciler follows Argo's watch and otherwise reads each workflow only every hour, so what
/// happens within seconds happens through the watch.
/// </summary>
public sealed class WatchingApiFactory : DrainingApiFactory
{
    protected override IEnumerable<(string Key, string Value)> ExtraSettings =>
        [
            ("Reconcile:Enabled", "true"), ("Reconcile:Interval", "01:00:00"), ("Reconcile:MaxInterval", "01:00:00"),
            ("Argo:Token", "Bearer watch-token"),
        ];
}
