using Splicer.Rendezvous;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Rendezvous;

/// <summary>The pairing table's rules, one connection at a time: who pairs with whom, who waits, who is turned away.</summary>
public sealed class PairingTableTests : IDisposable
{
    private readonly Arrivals _arrivals = new(maxWaitingPerToken: 3);

    public void Dispose()
    {
        Assert.Empty(_arrivals.Recorder.Records);
        _arrivals.Dispose();
    }

    private PairingTable Table => _arrivals.Table;

    [Fact]
    public void A_connection_alone_on_its_token_waits()
    {
        var alone = _arrivals.Enter(Pairing.NewToken(), "a");

        Assert.Equal(PairingResult.Waiting, alone.Result);
        Assert.Same(alone.Connection, alone.Pending.Connection);
        Assert.Equal(PendingState.Waiting, alone.Pending.State);
        Assert.False(alone.Pending.Decided.IsCompleted);
        Assert.Equal(1, Table.WaitingConnections);
        Assert.Equal(1, Table.WaitingTokens);
    }

    [Theory]
    [InlineData("a", "b", true)]
    [InlineData(null, "b", true)]
    [InlineData("a", null, true)]
    [InlineData(null, null, true)]
    [InlineData("a", "a", false)]
    public void Two_connections_on_a_token_pair_when_their_sides_differ_or_either_is_unnamed(string? first, string? second, bool pairs)
    {
        var token = Pairing.NewToken();
        var waiter = _arrivals.Enter(token, first);
        var arrival = _arrivals.Enter(token, second);

        Assert.Equal(pairs ? PairingResult.Matched : PairingResult.Waiting, arrival.Result);
        Assert.Equal(pairs ? PendingState.Claimed : PendingState.Waiting, waiter.Pending.State);
        Assert.Equal(pairs ? 0 : 2, Table.WaitingConnections);
    }

    [Fact]
    public void A_claimed_waiter_learns_its_partner_and_is_told_at_once()
    {
        var token = Pairing.NewToken();
        var waiter = _arrivals.Enter(token, "a");
        var arrival = _arrivals.Enter(token, "b");

        Assert.Same(waiter.Pending, arrival.Claimed);
        Assert.Same(arrival.Connection, waiter.Pending.Partner);
        Assert.True(waiter.Pending.Decided.IsCompletedSuccessfully);
        Assert.Equal(0, Table.WaitingConnections);
        Assert.Equal(0, Table.WaitingTokens);
    }

    [Fact]
    public void Different_tokens_never_pair()
    {
        var one = _arrivals.Enter(Pairing.NewToken(), "a");
        var other = _arrivals.Enter(Pairing.NewToken(), "b");

        Assert.Equal(PairingResult.Waiting, one.Result);
        Assert.Equal(PairingResult.Waiting, other.Result);
        Assert.Equal(2, Table.WaitingTokens);
    }

    [Fact]
    public void An_arrival_pairs_with_the_oldest_waiter()
    {
        var token = Pairing.NewToken();
        var waiters = new[] { _arrivals.Enter(token, "a"), _arrivals.Enter(token, "a"), _arrivals.Enter(token, "a") };

        var arrival = _arrivals.Enter(token, "b");

        Assert.Same(waiters[0].Pending, arrival.Claimed);
    }

    [Fact]
    public void The_waiter_accepted_first_wins_even_when_its_handshake_finished_last()
    {
        var token = Pairing.NewToken();
        var slow = _arrivals.Prepare(token, "a"); // accepted first; its handshake is still being read
        var quick = _arrivals.Enter(token, "a");
        slow.Enter();

        var arrival = _arrivals.Enter(token, "b");

        Assert.True(slow.Connection.AcceptedAt < quick.Connection.AcceptedAt);
        Assert.Same(slow.Pending, arrival.Claimed);
        Assert.Equal(PendingState.Dismissed, quick.Pending.State);
    }

    [Fact]
    public void A_match_dismisses_every_other_waiter_on_the_token()
    {
        var token = Pairing.NewToken();
        var waiters = new[] { _arrivals.Enter(token, "a"), _arrivals.Enter(token, "a"), _arrivals.Enter(token, "a") };

        _arrivals.Enter(token, null);

        Assert.Equal(PendingState.Claimed, waiters[0].Pending.State);
        Assert.All(waiters[1..], rival =>
        {
            Assert.Equal(PendingState.Dismissed, rival.Pending.State);
            Assert.True(rival.Pending.Decided.IsCompletedSuccessfully);
        });
        Assert.Equal(0, Table.WaitingConnections);
        Assert.Equal(0, Table.WaitingTokens);
    }

    [Fact]
    public void After_a_match_the_token_starts_over()
    {
        var token = Pairing.NewToken();
        _arrivals.Enter(token, "a");
        _arrivals.Enter(token, "b");

        var late = _arrivals.Enter(token, "a");
        var later = _arrivals.Enter(token, "b");

        Assert.Equal(PairingResult.Waiting, late.Result);
        Assert.Same(late.Pending, later.Claimed);
    }

    [Fact]
    public void A_dismissed_waiter_is_never_claimed()
    {
        var token = Pairing.NewToken();
        var dismissed = _arrivals.Enter(token, "a");
        var claimed = _arrivals.Enter(token, "a");
        Assert.True(dismissed.Pending.TryDismiss());

        var arrival = _arrivals.Enter(token, "b");

        Assert.Same(claimed.Pending, arrival.Claimed);
        Assert.Equal(PendingState.Dismissed, dismissed.Pending.State);
    }

    [Fact]
    public void A_withdrawn_waiter_is_never_claimed()
    {
        var token = Pairing.NewToken();
        var waiter = _arrivals.Enter(token, "a");
        Assert.True(waiter.Pending.TryWithdraw());

        var arrival = _arrivals.Enter(token, "b");

        Assert.Equal(PairingResult.Waiting, arrival.Result);
        Assert.Equal(PendingState.Withdrawn, waiter.Pending.State);
        Assert.False(waiter.Pending.Decided.IsCompleted);
        Table.Leave(waiter.Pending);
        Assert.Equal(1, Table.WaitingConnections);
        Assert.Equal(1, Table.WaitingTokens);
    }

    [Fact]
    public void Only_a_claimed_waiter_has_a_partner()
    {
        var token = Pairing.NewToken();
        var withdrawn = _arrivals.Enter(token, "a");
        Assert.True(withdrawn.Pending.TryWithdraw());

        _arrivals.Enter(token, "b");

        Assert.Throws<InvalidOperationException>(() => withdrawn.Pending.Partner);
    }

    [Fact]
    public void A_waiter_is_decided_once_so_a_claimed_or_dismissed_waiter_cannot_withdraw()
    {
        var token = Pairing.NewToken();
        var claimed = _arrivals.Enter(token, "a");
        var dismissed = _arrivals.Enter(token, "a");
        _arrivals.Enter(token, "b");

        Assert.False(claimed.Pending.TryWithdraw());
        Assert.False(claimed.Pending.TryDismiss());
        Assert.False(dismissed.Pending.TryWithdraw());
        Assert.False(dismissed.Pending.TryClaim(_arrivals.Prepare(token, "b").Connection));
        Assert.Equal(PendingState.Claimed, claimed.Pending.State);
        Assert.Equal(PendingState.Dismissed, dismissed.Pending.State);
    }

    [Fact]
    public void A_withdrawn_waiter_cannot_be_dismissed_or_claimed_later()
    {
        var waiter = _arrivals.Enter(Pairing.NewToken(), "a");
        Assert.True(waiter.TryWithdraw());

        Assert.False(waiter.Pending.TryDismiss());
        Assert.False(waiter.Pending.TryClaim(_arrivals.Prepare(waiter.Request.Token, "b").Connection));
        Assert.False(waiter.Pending.TryWithdraw());
        Assert.Equal(PendingState.Withdrawn, waiter.Pending.State);
    }

    [Fact]
    public void Waiters_beyond_MaxWaitingPerToken_are_refused()
    {
        var token = Pairing.NewToken();
        for (var i = 0; i < _arrivals.MaxWaitingPerToken; i++)
        {
            Assert.Equal(PairingResult.Waiting, _arrivals.Enter(token, "a").Result);
        }

        var refused = _arrivals.Enter(token, "a");

        Assert.Equal(PairingResult.Refused, refused.Result);
        Assert.Null(refused.Attempt.Pending);
        Assert.Equal(_arrivals.MaxWaitingPerToken, Table.WaitingConnections);
    }

    [Fact]
    public void A_full_token_still_pairs_an_arrival_that_matches()
    {
        var token = Pairing.NewToken();
        for (var i = 0; i < _arrivals.MaxWaitingPerToken; i++)
        {
            _arrivals.Enter(token, "a");
        }

        Assert.Equal(PairingResult.Matched, _arrivals.Enter(token, "b").Result);
    }

    [Fact]
    public void A_waiter_that_leaves_frees_its_place_on_the_token()
    {
        var token = Pairing.NewToken();
        var waiters = Enumerable.Range(0, _arrivals.MaxWaitingPerToken).Select(_ => _arrivals.Enter(token, "a")).ToArray();
        Assert.True(waiters[1].TryWithdraw());

        Assert.Equal(PairingResult.Waiting, _arrivals.Enter(token, "a").Result);
        Assert.Equal(_arrivals.MaxWaitingPerToken, Table.WaitingConnections);
    }

    [Fact]
    public void The_last_waiter_to_leave_takes_its_token_out_of_the_table()
    {
        var token = Pairing.NewToken();
        var one = _arrivals.Enter(token, "a");
        var two = _arrivals.Enter(token, "a");

        Assert.True(one.TryWithdraw());
        Assert.Equal(1, Table.WaitingTokens);
        Assert.True(two.TryWithdraw());

        Assert.Equal(0, Table.WaitingConnections);
        Assert.Equal(0, Table.WaitingTokens);
    }

    [Fact]
    public void Leaving_again_or_after_a_match_changes_no_count()
    {
        var token = Pairing.NewToken();
        var left = _arrivals.Enter(token, "a");
        var claimed = _arrivals.Enter(token, "a");
        Assert.True(left.TryWithdraw());
        _arrivals.Enter(token, "b");

        Table.Leave(left.Pending);
        Table.Leave(claimed.Pending);

        Assert.Equal(0, Table.WaitingConnections);
        Assert.Equal(0, Table.WaitingTokens);
    }

    [Fact]
    public void A_waiter_that_leaves_after_its_token_started_over_leaves_the_new_waiters_alone()
    {
        var token = Pairing.NewToken();
        var slow = _arrivals.Enter(token, "a");
        _arrivals.Enter(token, "a");
        Assert.True(slow.Pending.TryWithdraw());
        _arrivals.Enter(token, "b");
        var next = _arrivals.Enter(token, "a");

        Table.Leave(slow.Pending);

        Assert.Equal(1, Table.WaitingConnections);
        Assert.Equal(1, Table.WaitingTokens);
        Assert.Same(next.Pending, _arrivals.Enter(token, "b").Claimed);
    }
}
