using Prometheus;
using Splicer.Endings;

namespace Splicer.Accounting;

/// <summary>
/// The usage writer's metrics, copied from its counters when <c>/metrics</c> is scraped. Labels are
/// bounded: door kind and outcome, never an identity, a door or a token.
/// </summary>
internal sealed class UsageMetrics
{
    public UsageMetrics(CollectorRegistry registry, UsageRecorder usage)
    {
        var metrics = Metrics.WithCustomRegistry(registry);
        var bytes = metrics.CreateCounter("splicer_usage_bytes_total",
            "Bytes of ended sessions (both directions), by the kind of door they came through and their outcome.", "door_kind", "outcome");
        var written = metrics.CreateCounter("splicer_usage_entries_written_total", "Usage entries (checkpoints and ended sessions) written to the state database.");
        var failures = metrics.CreateCounter("splicer_state_write_failures_total", "Writes to the state database that failed (usage batches, pruning).");
        var dropped = metrics.CreateCounter("splicer_usage_dropped_total", "Ended sessions whose usage was not kept because the write queue was full.");
        var quota = metrics.CreateGauge("splicer_quota_used_ratio",
            "The largest share of its byte quota any one holder has used (1 = spent), by scope.", "scope");

        var outcomes = Enum.GetValues<Outcome>();
        foreach (var kind in UsageRecorder.DoorKinds)
        {
            foreach (var outcome in outcomes)
            {
                bytes.WithLabels(kind, outcome.Name());
            }
        }

        registry.AddBeforeCollectCallback(() =>
        {
            for (var kind = 0; kind < UsageRecorder.DoorKinds.Length; kind++)
            {
                foreach (var outcome in outcomes)
                {
                    bytes.WithLabels(UsageRecorder.DoorKinds[kind], outcome.Name()).IncTo(usage.BytesOf(kind, outcome));
                }
            }

            written.IncTo(usage.Written);
            failures.IncTo(usage.WriteFailures);
            dropped.IncTo(usage.Dropped);
            quota.WithLabels("door").Set(usage.LargestDoorQuotaShare);
            quota.WithLabels("identity").Set(usage.LargestIdentityQuotaShare);
        });
    }
}
