using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Splicer.Accounting;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Splice;
using Splicer.State;
using Splicer.Tests.State;

namespace Splicer.Tests.Quotas;

/// <summary>What the quota meter counts for a subject, against a real state file: the totals on disk, and an ended session whose row is not written yet.</summary>
public sealed class QuotaMeterTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly StateFolder _folder = new();

    [Fact]
    public async Task An_ended_session_counts_before_its_row_is_written_and_once_after()
    {
        await using var state = await StateFixture.OpenAsync(_folder);
        var store = new UsageStore(state.Database);
        var registry = new SessionRegistry();
        var recorder = new UsageRecorder(store, registry, Microsoft.Extensions.Options.Options.Create(new UsageOptions()), state.Clock, NullLogger<UsageRecorder>.Instance);
        var meter = new QuotaMeter(registry, store, recorder, state.Clock);
        var ada = QuotaSubject.Identity(7);
        var door = QuotaSubject.Door(3);

        // The writer is not running, so the row stays queued: the meter must count it all the same.
        recorder.Record(new SessionRecord(1, "abcdefgh", null, null, new IPEndPoint(IPAddress.Loopback, 1), new IPEndPoint(IPAddress.Loopback, 2),
            600, 400, TimeSpan.Zero, TimeSpan.FromSeconds(1), Ends.Happy, DoorA: 3, IdentityA: 7, DoorB: 3, IdentityB: 8));

        Assert.Equal(new QuotaUse(1000, 1000, 0), await meter.UseAsync(ada, None));
        Assert.Equal(new QuotaUse(1000, 1000, 0), await meter.UseAsync(door, None));
        Assert.Equal(new QuotaUse(0, 0, 0), await meter.UseAsync(QuotaSubject.Identity(9), None));

        using var stop = new CancellationTokenSource();
        await recorder.StartAsync(stop.Token);
        await Infrastructure.Patience.Until(() => recorder.Batches > 0, "the row to be written");
        await stop.CancelAsync();
        await recorder.StopAsync(None);

        Assert.Empty(recorder.EndedNotWritten);
        Assert.Equal(new QuotaUse(1000, 1000, 0), await meter.UseAsync(ada, None));
    }

    public void Dispose() => _folder.Dispose();
}
