using System.Diagnostics;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Governance;

namespace Splicer.Splice;

/// <summary>Two paired connections and the copy between them. A is the side that waited.</summary>
internal sealed class SpliceSession
{
    private readonly CancellationTokenSource _abort = new();
    private Ending? _endRequest;
    private long _lastActivity = Environment.TickCount64;
    private long _bytesCheckpointed;

    public SpliceSession(RelayConnection a, RelayConnection b, TimeSpan waited)
    {
        A = a;
        B = b;
        TokenPrefix = a.TokenPrefix ?? "-";
        Waited = waited;
        StartedAt = Stopwatch.GetTimestamp();
        AToB = new SpliceDirection(a, b, this);
        BToA = new SpliceDirection(b, a, this);
        IsGoverned = a.Grant is not null || b.Grant is not null;
    }

    public long Id => A.Id;

    public RelayConnection A { get; }

    public RelayConnection B { get; }

    public string TokenPrefix { get; }

    /// <summary>Both sides are plain TCP, so the configured data path (the kernel's where it works) copies; else the stream copy does.</summary>
    public bool IsPlainTcp => A.Transport is null && B.Transport is null;

    /// <summary>A side came through a door, so the access watcher keeps an eye on it; false in <c>Open</c> mode.</summary>
    public bool IsGoverned { get; }

    /// <summary>The grants of both sides, those that have one.</summary>
    public IEnumerable<AccessGrant> Grants => new[] { A.Grant, B.Grant }.OfType<AccessGrant>();

    /// <summary>Bytes relayed so far, both directions together.</summary>
    public long Bytes => AToB.Bytes + BToA.Bytes;

    /// <summary>Bytes of this session already in the usage totals on disk (its last checkpoint written).</summary>
    public long BytesCheckpointed
    {
        get => Volatile.Read(ref _bytesCheckpointed);
        set => Volatile.Write(ref _bytesCheckpointed, value);
    }

    /// <summary>Slowed to the quota floor because its bytes are spent; set once, by whoever slowed it.</summary>
    public bool IsThrottled { get; set; }

    /// <summary>Serves the identity or comes through the door on either side.</summary>
    public bool Serves(QuotaSubject subject) => Serves(A.Grant, subject) || Serves(B.Grant, subject);

    public TimeSpan Waited { get; }

    public long StartedAt { get; }

    public TimeSpan Age => Stopwatch.GetElapsedTime(StartedAt);

    private Task? _waiterReadiness;

    /// <summary>
    /// The waiter's (A's) receive that was pending when the pair was made, handed over by the
    /// rendezvous; null when there is none. The first wait of A's direction, taken once (and let go,
    /// so an idle session does not keep the finished wait).
    /// </summary>
    public Task? WaiterReadiness
    {
        init => _waiterReadiness = value;
    }

    public Task? TakeWaiterReadiness() => Interlocked.Exchange(ref _waiterReadiness, null);

    /// <summary>
    /// Wakes both sides' pending readiness waits by shutting their receiving halves: a copy that
    /// waits without a cancellation registration per receive finds <see cref="Aborted"/> set when it wakes.
    /// </summary>
    public CancellationTokenRegistration WakeOnAbort() =>
        _abort.Token.UnsafeRegister(static state => ((SpliceSession)state!).WakeBoth(), this);

    private void WakeBoth()
    {
        A.WakePendingReceive();
        B.WakePendingReceive();
    }

    public SpliceDirection AToB { get; }

    public SpliceDirection BToA { get; }

    /// <summary>Cancelled when the session must stop copying at once.</summary>
    public CancellationToken Aborted => _abort.Token;

    public TimeSpan Idle => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastActivity));

    /// <summary>Why the session was ended from outside (owner, idle timer, drain), if it was.</summary>
    public Ending? EndRequest => Volatile.Read(ref _endRequest);

    private static bool Serves(AccessGrant? grant, QuotaSubject subject) => grant is not null
        && (subject.Kind == QuotaSubjectKind.Identity ? grant.IdentityId == subject.Id : grant.DoorId == subject.Id);

    public void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    /// <summary>Asks the copy to stop; the first reason given is the one recorded.</summary>
    public bool End(Ending ending)
    {
        lock (_abort)
        {
            if (_endRequest is not null)
            {
                return false;
            }

            _endRequest = ending;
        }

        // Never disposed: it has no timer and no linked parent, so there is nothing to free, and the
        // admin, the reaper and the drain may end a session (from their snapshots) as it finishes.
        _abort.Cancel();
        return true;
    }
}
