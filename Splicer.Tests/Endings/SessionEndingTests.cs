using System.Net;
using System.Net.Sockets;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Splice;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Endings;

/// <summary>
/// How a paired session's ending is decided: the first reason given from outside wins, else the
/// copy's own end (happy when both sides finished, jilted otherwise).
/// </summary>
public sealed class SessionEndingTests : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CountingRecorder _recorder = new();
    private long _nextId;

    public void Dispose()
    {
        Assert.Empty(_recorder.Records);
        _socket.Dispose();
    }

    [Fact]
    public void A_session_nobody_asked_to_end_keeps_copying()
    {
        var session = NewSession();

        Assert.Null(session.EndRequest);
        Assert.False(session.Aborted.IsCancellationRequested);
    }

    [Fact]
    public void Asking_a_session_to_end_stops_the_copy_at_once()
    {
        var session = NewSession();

        Assert.True(session.End(Ends.EndedByOwner));

        Assert.Same(Ends.EndedByOwner, session.EndRequest);
        Assert.True(session.Aborted.IsCancellationRequested);
    }

    [Fact]
    public void The_first_reason_to_end_a_session_is_the_one_kept()
    {
        var session = NewSession();
        session.End(Ends.Idle(TimeSpan.FromMinutes(1)));

        Assert.False(session.End(Ends.EndedByOwner));

        Assert.Equal(Outcome.TimedOut, session.EndRequest!.Outcome);
    }

    [Fact]
    public void The_first_reason_wins_among_concurrent_callers()
    {
        const int rounds = 2000;
        const int racers = 4;
        var sessions = Enumerable.Range(0, rounds).Select(_ => NewSession()).ToArray();
        Ending[] reasons = [Ends.EndedByOwner, Ends.Idle(TimeSpan.FromMinutes(1)), Ends.DrainRanOut(TimeSpan.FromSeconds(30)), Ends.Jilted("a direction failed")];
        var won = new bool[rounds, racers];

        Race.Run(rounds, racers, (round, racer) => won[round, racer] = sessions[round].End(reasons[racer]));

        for (var round = 0; round < rounds; round++)
        {
            var winners = Enumerable.Range(0, racers).Where(racer => won[round, racer]).ToArray();
            Assert.Same(reasons[Assert.Single(winners)], sessions[round].EndRequest);
            Assert.True(sessions[round].Aborted.IsCancellationRequested);
        }
    }

    [Fact]
    public void Asking_a_session_that_already_finished_to_end_is_harmless()
    {
        // The admin, the idle reaper and the drain end sessions from snapshots, so one may finish first.
        var session = NewSession();
        Assert.True(session.End(Ends.Happy));

        Assert.False(session.End(Ends.EndedByOwner));
        Assert.Same(Ends.Happy, session.EndRequest);
    }

    [Theory]
    [MemberData(nameof(CopyEnds))]
    public void An_ending_asked_for_from_outside_wins_over_how_the_copy_ended(string copyEnded)
    {
        var session = NewSession();
        session.End(Ends.EndedByOwner);

        Assert.Same(Ends.EndedByOwner, SessionRunner.Decide(session, CopyEnd(copyEnded)));
    }

    [Fact]
    public void A_copy_that_finished_on_both_sides_is_happy()
    {
        var session = NewSession();

        Assert.Same(Ends.Happy, SessionRunner.Decide(session, SpliceEnd.Finished));
    }

    [Fact]
    public void A_copy_that_failed_is_jilted_and_says_why()
    {
        var session = NewSession();

        var ending = SessionRunner.Decide(session, SpliceEnd.Failed("a side went away"));

        Assert.Equal(Outcome.Jilted, ending.Outcome);
        Assert.Equal(Closing.Reset, ending.Closing);
        Assert.Equal("a side went away", ending.Detail);
    }

    [Fact]
    public void A_copy_aborted_without_a_reason_is_jilted()
    {
        var session = NewSession();

        Assert.Equal(Outcome.Jilted, SessionRunner.Decide(session, SpliceEnd.Aborted).Outcome);
    }

    [Fact]
    public void A_failing_direction_ends_the_session_as_jilted_naming_the_error()
    {
        var session = NewSession();

        var end = SpliceEnd.FailSession(session.AToB, new SocketException((int)SocketError.ConnectionReset), session.Aborted);

        Assert.Equal(SpliceEndKind.Failed, end.Kind);
        Assert.True(session.Aborted.IsCancellationRequested);
        var ending = SessionRunner.Decide(session, end);
        Assert.Equal(Outcome.Jilted, ending.Outcome);
        Assert.Contains(nameof(SocketError.ConnectionReset), ending.Detail);
        Assert.Contains(session.A.RemoteText, ending.Detail);
    }

    [Fact]
    public void A_direction_failing_after_the_session_was_ended_leaves_the_first_reason()
    {
        var session = NewSession();
        session.End(Ends.EndedByOwner);

        var end = SpliceEnd.FailSession(session.BToA, new SocketException((int)SocketError.ConnectionReset), session.Aborted);

        Assert.Equal(SpliceEndKind.Aborted, end.Kind);
        Assert.Same(Ends.EndedByOwner, SessionRunner.Decide(session, end));
    }

    [Theory]
    [InlineData("finished", "finished", "finished")]
    [InlineData("finished", "aborted", "aborted")]
    [InlineData("aborted", "finished", "aborted")]
    [InlineData("failed", "aborted", "failed")]
    [InlineData("aborted", "failed", "failed")]
    [InlineData("finished", "failed", "failed")]
    public void A_failed_direction_decides_how_the_copy_ended_then_an_aborted_one(string aToB, string bToA, string copy)
    {
        Assert.Equal(CopyEnd(copy).Kind, SpliceEnd.Both(CopyEnd(aToB), CopyEnd(bToA)).Kind);
    }

    public static TheoryData<string> CopyEnds => ["finished", "failed", "aborted"];

    private static SpliceEnd CopyEnd(string name) => name switch
    {
        "finished" => SpliceEnd.Finished,
        "failed" => SpliceEnd.Failed("a side went away"),
        _ => SpliceEnd.Aborted,
    };

    private SpliceSession NewSession()
    {
        var a = NewConnection();
        var b = NewConnection();
        a.Identify("abcdefgh", "a");
        b.Identify("abcdefgh", "b");
        return new SpliceSession(a, b, TimeSpan.FromSeconds(1));
    }

    private RelayConnection NewConnection()
    {
        var id = Interlocked.Increment(ref _nextId);
        return new RelayConnection(id, _socket, new IPEndPoint(IPAddress.Loopback, 2000 + (int)id), new CountingAdmission(), _recorder);
    }
}
