using System.Reflection;
using System.Text;
using Splicer.Endings;
using static Splicer.Endings.Closing;
using static Splicer.Endings.Outcome;

namespace Splicer.Tests.Endings;

/// <summary>
/// Every way a connection or a session ends, as the protocol promises it: the outcome it is recorded
/// with, the handshake verdict it counts as, how the socket closes and the line the client reads first.
/// </summary>
public sealed class EndsTests
{
    private static readonly TimeSpan Setting = TimeSpan.FromSeconds(42);

    private static readonly string DrainingLine = $"refused draining {Refusal.Draining.Text}\n";

    /// <summary>What each member of <see cref="Ends"/> promises, with the arguments it is tried with.</summary>
    private static readonly Dictionary<string, (Func<Ending> Make, Promise Promise)> Promises = new()
    {
        // Turned away by a limit: a line that names the reason; after the handshake the line needs the linger to arrive.
        [nameof(Ends.Refused)] = (() => Ends.Refused(Refusal.SourceRate, "test"), new(Refused, Verdict.Refused, ReplyThenFin, $"refused source_rate {Refusal.SourceRate.Text}\n")),
        [nameof(Ends.RefusedAfterHandshake)] = (() => Ends.RefusedAfterHandshake(Refusal.TokenBusy, "test"), new(Refused, Verdict.Refused, ReplyThenLinger, $"refused token_busy {Refusal.TokenBusy.Text}\n")),

        // The handshake: wormhole's own lines, byte-exact, for what is not a client.
        [nameof(Ends.BadHandshake)] = (() => Ends.BadHandshake(7), new(Errory, Verdict.Bad, ReplyThenLinger, "bad handshake\n")),
        [nameof(Ends.ClosedDuringHandshake)] = (() => Ends.ClosedDuringHandshake(7), new(Errory, Verdict.Bad, Fin, null)),
        [nameof(Ends.FailedDuringHandshake)] = (() => Ends.FailedDuringHandshake("ConnectionReset"), new(Errory, Verdict.Bad, Reset, null)),
        [nameof(Ends.UpgradeRefused)] = (() => Ends.UpgradeRefused(404, "WebSocket clients connect at /", "HTTP/1.1 404 Not Found\r\n\r\n"u8.ToArray()),
            new(Errory, Verdict.Bad, ReplyThenLinger, "HTTP/1.1 404 Not Found\r\n\r\n")),
        [nameof(Ends.TlsFailed)] = (() => Ends.TlsFailed("unsupported protocol"), new(Errory, Verdict.Bad, Fin, null)),
        [nameof(Ends.TransportFailed)] = (() => Ends.TransportFailed("websocket: a text message"), new(Errory, Verdict.Bad, Fin, null)),
        [nameof(Ends.HandshakeTimedOut)] = (() => Ends.HandshakeTimedOut(Setting), new(TimedOut, Verdict.TimedOut, Fin, null)),
        [nameof(Ends.StoppingDuringHandshake)] = (() => Ends.StoppingDuringHandshake, new(Lonely, Verdict.None, ReplyThenFin, DrainingLine)),
        [nameof(Ends.Impatient)] = (() => Ends.Impatient, new(Errory, Verdict.Impatient, ReplyThenLinger, "impatient\n")),

        // Waiting for a partner: lonely unless a rival was paired; a lost connection is reset.
        [nameof(Ends.LeftWhileWaiting)] = (() => Ends.LeftWhileWaiting, new(Lonely, Verdict.None, Fin, null)),
        [nameof(Ends.LostWhileWaiting)] = (() => Ends.LostWhileWaiting, new(Lonely, Verdict.None, Reset, null)),
        [nameof(Ends.StoppingWhileWaiting)] = (() => Ends.StoppingWhileWaiting, new(Lonely, Verdict.None, ReplyThenFin, DrainingLine)),
        [nameof(Ends.NoPartner)] = (() => Ends.NoPartner(Setting), new(Lonely, Verdict.None, Fin, null)),
        [nameof(Ends.Redundant)] = (() => Ends.Redundant, new(Redundant, Verdict.None, Fin, null)),
        [nameof(Ends.Unexpected)] = (() => Ends.Unexpected(new InvalidOperationException("test")), new(Errory, Verdict.None, Reset, null)),

        // Paired: no word of the relay's own; a FIN only when both sides finished, else both sides are reset.
        [nameof(Ends.Happy)] = (() => Ends.Happy, new(Happy, Verdict.None, Fin, null)),
        [nameof(Ends.Jilted)] = (() => Ends.Jilted("test"), new(Jilted, Verdict.None, Reset, null)),
        [nameof(Ends.SideLeftBeforeOk)] = (() => Ends.SideLeftBeforeOk, new(Jilted, Verdict.None, Reset, null)),
        [nameof(Ends.EndedByOwner)] = (() => Ends.EndedByOwner, new(Killed, Verdict.None, Reset, null)),
        [nameof(Ends.DrainRanOut)] = (() => Ends.DrainRanOut(Setting), new(Killed, Verdict.None, Reset, null)),
        [nameof(Ends.Idle)] = (() => Ends.Idle(Setting), new(TimedOut, Verdict.None, Reset, null)),

        // The access check: a refusal in the reason's words; a redeemed invite answers its credential line.
        [nameof(Ends.Denied)] = (() => Ends.Denied(Refusal.DoorClosed, "door 3 is closed"), new(Refused, Verdict.Refused, ReplyThenLinger, "refused door_closed door 3 is closed\n")),
        [nameof(Ends.Joined)] = (() => Ends.Joined("ok identity=1\n"u8.ToArray(), "joined"), new(Outcome.Joined, Verdict.Ok, ReplyThenLinger, "ok identity=1\n")),
        [nameof(Ends.Reported)] = (() => Ends.Reported, new(Outcome.Reported, Verdict.Ok, ReplyThenLinger, "ok\n")),

        // Cut because whom the session serves may no longer come through: killed, both sides reset, the reason named.
        [nameof(Ends.DoorClosed)] = (() => Ends.DoorClosed(3), new(Killed, Verdict.None, Reset, null)),
        [nameof(Ends.DoorExpired)] = (() => Ends.DoorExpired(3), new(Killed, Verdict.None, Reset, null)),
        [nameof(Ends.DoorExhausted)] = (() => Ends.DoorExhausted(3, "bytes"), new(Killed, Verdict.None, Reset, null)),
        [nameof(Ends.CredentialExpired)] = (() => Ends.CredentialExpired(4), new(Killed, Verdict.None, Reset, null)),
        [nameof(Ends.IdentityDisabled)] = (() => Ends.IdentityDisabled(4), new(Killed, Verdict.None, Reset, null)),
        [nameof(Ends.IdentityDeleted)] = (() => Ends.IdentityDeleted(4), new(Killed, Verdict.None, Reset, null)),
        [nameof(Ends.QuotaSpent)] = (() => Ends.QuotaSpent("identity 4 used its 10 bytes for this day (UTC)"), new(Killed, Verdict.None, Reset, null)),

        // Refused at pairing by a quota: both sides hear why before either hears of its partner.
        [nameof(Ends.QuotaSpentAtPairing)] = (() => Ends.QuotaSpentAtPairing("door 3 used its 10 bytes for this month (UTC)"),
            new(Refused, Verdict.Refused, ReplyThenLinger, "refused quota_spent door 3 used its 10 bytes for this month (UTC)\n")),
        [nameof(Ends.QuotaSessions)] = (() => Ends.QuotaSessions("identity 4", 2),
            new(Refused, Verdict.Refused, ReplyThenLinger, "refused quota_sessions identity 4 already runs its 2 sessions\n")),
    };

    public static TheoryData<string> Members => new(Promises.Keys);

    private static IEnumerable<Ending> Every => Promises.Values.Select(promised => promised.Make());

    [Fact]
    public void Every_member_of_Ends_has_a_promise_here()
    {
        var members = typeof(Ends).GetMembers(BindingFlags.Public | BindingFlags.Static)
            .Where(member => member is FieldInfo { FieldType: var type } && type == typeof(Ending)
                || member is MethodInfo { ReturnType: var returned } && returned == typeof(Ending))
            .Select(member => member.Name)
            .Order();

        Assert.Equal(Promises.Keys.Order(), members);
    }

    [Theory]
    [MemberData(nameof(Members))]
    public void Each_ending_has_the_outcome_verdict_closing_and_reply_the_protocol_promises(string member)
    {
        var (make, promise) = Promises[member];
        var ending = make();

        Assert.Equal(promise, new Promise(ending.Outcome, ending.Verdict, ending.Closing, ending.HasReply ? Encoding.ASCII.GetString(ending.Reply.Span) : null));
    }

    [Fact]
    public void A_bad_handshake_is_answered_with_wormholes_line_byte_exact()
    {
        Assert.Equal("bad handshake\n"u8.ToArray(), Ends.BadHandshakeLine.ToArray());
        Assert.Equal("bad handshake\n"u8.ToArray(), Ends.BadHandshake(0).Reply.ToArray());
    }

    [Fact]
    public void Bytes_before_ok_are_answered_with_wormholes_impatient_line_byte_exact()
    {
        Assert.Equal("impatient\n"u8.ToArray(), Ends.ImpatientLine.ToArray());
        Assert.Equal("impatient\n"u8.ToArray(), Ends.Impatient.Reply.ToArray());
    }

    [Fact]
    public void An_ending_has_a_reply_exactly_when_its_closing_sends_one()
    {
        Assert.All(Every, ending =>
            Assert.Equal(ending.Closing is ReplyThenFin or ReplyThenLinger, ending.HasReply));
    }

    [Fact]
    public void A_paired_session_ends_without_a_word_of_the_relays_own()
    {
        var paired = Every.Where(ending => ending.Outcome is Happy or Jilted or Killed).ToArray();

        Assert.NotEmpty(paired);
        Assert.All(paired, ending => Assert.False(ending.HasReply, ending.Detail));
        Assert.False(Ends.Idle(Setting).HasReply);
    }

    [Fact]
    public void An_ending_that_names_a_refusal_answers_with_that_refusals_word_or_cuts_without_a_word()
    {
        Assert.All(Every.Where(ending => ending.Refusal is not null), ending =>
        {
            if (ending.HasReply)
            {
                Assert.StartsWith($"refused {ending.Refusal!.Word} ", Encoding.ASCII.GetString(ending.Reply.Span));
            }
            else
            {
                Assert.Equal(Reset, ending.Closing);
            }
        });
        Assert.All(Refusal.All, refusal =>
        {
            Assert.Same(refusal, Ends.Refused(refusal, "test").Refusal);
            Assert.Same(refusal, Ends.RefusedAfterHandshake(refusal, "test").Refusal);
        });
    }

    [Fact]
    public void A_refused_outcome_always_names_its_refusal()
    {
        Assert.All(Every.Where(ending => ending.Outcome == Refused), ending => Assert.NotNull(ending.Refusal));
    }

    [Fact]
    public void A_timeout_names_the_setting_that_ran_out()
    {
        Assert.Contains("Splicer:HandshakeTimeout", Ends.HandshakeTimedOut(Setting).Detail);
        Assert.Contains("Splicer:PairingTimeout", Ends.NoPartner(Setting).Detail);
        Assert.Contains("Splicer:IdleTimeout", Ends.Idle(Setting).Detail);
        Assert.Contains(Setting.ToString("c"), Ends.DrainRanOut(Setting).Detail);
    }

    [Fact]
    public void A_bad_handshake_says_at_which_byte()
    {
        Assert.Contains("offset 17", Ends.BadHandshake(17).Detail);
    }

    [Fact]
    public void A_relay_error_names_the_error_but_not_its_message()
    {
        var detail = Ends.Unexpected(new InvalidOperationException("token 0123456789abcdef")).Detail;

        Assert.Contains(nameof(InvalidOperationException), detail);
        Assert.DoesNotContain("0123456789abcdef", detail);
    }

    [Fact]
    public void Only_a_redeemed_invite_or_a_taken_report_ends_as_an_ok_handshake()
    {
        Assert.All(Every.Where(ending => ending.Outcome is not (Outcome.Joined or Outcome.Reported)), ending => Assert.NotEqual(Verdict.Ok, ending.Verdict));
    }

    private sealed record Promise(Outcome Outcome, Verdict Verdict, Closing Closing, string? Reply);
}
