using Splicer.Handshake;
using Splicer.Rendezvous;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Rendezvous;

/// <summary>
/// The pairing table under racing parties: arrivals, withdrawals and matches on the same token at
/// the same moment, round after round from a start gate. Exactly one party decides each waiter.
/// </summary>
public sealed class PairingRaceTests
{
    private const int Rounds = 2000;

    [Fact]
    public void A_claim_racing_a_withdrawal_has_exactly_one_winner()
    {
        using var arrivals = new Arrivals();
        var token = Pairing.NewToken();
        var waiters = new Arrival[Rounds];
        var partners = new Arrival[Rounds];
        var withdrew = new bool[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            waiters[round] = arrivals.Enter(token + round, "a");
            partners[round] = arrivals.Prepare(token + round, "b");
        }

        Race.Run(Rounds, racers: 2, (round, racer) =>
        {
            if (racer == 0)
            {
                partners[round].Enter();
            }
            else
            {
                withdrew[round] = waiters[round].TryWithdraw();
            }
        });

        for (var round = 0; round < Rounds; round++)
        {
            var (waiter, partner) = (waiters[round].Pending, partners[round]);
            if (withdrew[round])
            {
                Assert.Equal(PendingState.Withdrawn, waiter.State);
                Assert.Equal(PairingResult.Waiting, partner.Result);
                Assert.False(waiter.Decided.IsCompleted);
                Assert.True(partner.TryWithdraw());
            }
            else
            {
                Assert.Equal(PendingState.Claimed, waiter.State);
                Assert.Same(waiter, partner.Claimed);
                Assert.Same(partner.Connection, waiter.Partner);
                Assert.True(waiter.Decided.IsCompletedSuccessfully);
            }
        }

        AssertEmpty(arrivals);
    }

    [Fact]
    public void A_dismissal_racing_a_withdrawal_has_exactly_one_winner()
    {
        using var arrivals = new Arrivals();
        var token = Pairing.NewToken();
        var claimed = new Arrival[Rounds];
        var rivals = new Arrival[Rounds];
        var partners = new Arrival[Rounds];
        var withdrew = new bool[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            claimed[round] = arrivals.Enter(token + round, "a");
            rivals[round] = arrivals.Enter(token + round, "a");
            partners[round] = arrivals.Prepare(token + round, "b");
        }

        Race.Run(Rounds, racers: 2, (round, racer) =>
        {
            if (racer == 0)
            {
                partners[round].Enter();
            }
            else
            {
                withdrew[round] = rivals[round].TryWithdraw();
            }
        });

        for (var round = 0; round < Rounds; round++)
        {
            Assert.Same(claimed[round].Pending, partners[round].Claimed);
            var rival = rivals[round].Pending;
            Assert.Equal(withdrew[round] ? PendingState.Withdrawn : PendingState.Dismissed, rival.State);
            Assert.Equal(!withdrew[round], rival.Decided.IsCompleted);
        }

        AssertEmpty(arrivals);
    }

    [Fact]
    public void A_token_pairs_once_however_arrivals_and_withdrawals_race()
    {
        const int waitersPerToken = 3;
        const int racers = 3;
        using var arrivals = new Arrivals();
        var tokens = Enumerable.Range(0, Rounds).Select(_ => Pairing.NewToken()).ToArray();
        var waiters = tokens.Select(token => Enumerable.Range(0, waitersPerToken).Select(_ => arrivals.Enter(token, "a")).ToArray()).ToArray();
        var newcomers = tokens.Select(token => Enumerable.Range(0, racers).Select(_ => arrivals.Prepare(token, "b")).ToArray()).ToArray();

        // Each racer brings one more connection for the other side; one also withdraws a waiter, first or after.
        Race.Run(Rounds, racers, (round, racer) =>
        {
            if (racer == 1)
            {
                waiters[round][0].TryWithdraw();
            }

            newcomers[round][racer].Enter();
            if (racer == 2)
            {
                waiters[round][1].TryWithdraw();
            }
        });

        for (var round = 0; round < Rounds; round++)
        {
            var matched = newcomers[round].Where(newcomer => newcomer.Result == PairingResult.Matched).ToArray();
            var claimed = waiters[round].Where(waiter => waiter.Pending.State == PendingState.Claimed).ToArray();
            Assert.Single(matched);
            Assert.Same(Assert.Single(claimed).Pending, matched[0].Claimed);
            foreach (var waiter in waiters[round])
            {
                Assert.Equal(waiter.Withdrew, waiter.Pending.State == PendingState.Withdrawn);
                Assert.NotEqual(PendingState.Waiting, waiter.Pending.State);
            }

            foreach (var newcomer in newcomers[round].Where(newcomer => newcomer.Result == PairingResult.Waiting))
            {
                Assert.True(newcomer.TryWithdraw());
            }
        }

        AssertEmpty(arrivals);
    }

    [Fact]
    public void Racing_arrivals_never_hold_more_than_MaxWaitingPerToken_on_a_token()
    {
        const int racers = 5;
        using var arrivals = new Arrivals(maxWaitingPerToken: 2);
        var tokens = Enumerable.Range(0, Rounds / 2).Select(_ => Pairing.NewToken()).ToArray();
        var entrants = tokens.Select(token => Enumerable.Range(0, racers).Select(_ => arrivals.Prepare(token, "a")).ToArray()).ToArray();

        Race.Run(tokens.Length, racers, (round, racer) => entrants[round][racer].Enter());

        foreach (var onToken in entrants)
        {
            Assert.Equal(arrivals.MaxWaitingPerToken, onToken.Count(entrant => entrant.Result == PairingResult.Waiting));
            Assert.Equal(racers - arrivals.MaxWaitingPerToken, onToken.Count(entrant => entrant.Result == PairingResult.Refused));
        }

        Assert.Equal(tokens.Length * arrivals.MaxWaitingPerToken, arrivals.Table.WaitingConnections);
        Assert.Equal(tokens.Length, arrivals.Table.WaitingTokens);

        Race.Run(tokens.Length, racers, (round, racer) =>
        {
            var entrant = entrants[round][racer];
            if (entrant.Result == PairingResult.Waiting)
            {
                Assert.True(entrant.TryWithdraw());
            }
        });

        AssertEmpty(arrivals);
    }

    /// <summary>
    /// Four connections per token, random sides, half of the waiters withdrawing at once, a cap of two
    /// waiting: whatever order the races take, every invariant of the table holds at the end.
    /// </summary>
    [Fact]
    public void Every_waiter_ends_in_exactly_one_state_whatever_the_races()
    {
        const int racers = 4;
        using var arrivals = new Arrivals(maxWaitingPerToken: 2);
        var random = new Random(20_250_101);
        string?[] sides = [null, "a", "b"];
        var tokens = Enumerable.Range(0, Rounds).Select(_ => Pairing.NewToken()).ToArray();
        var entrants = tokens.Select(token => Enumerable.Range(0, racers).Select(_ => arrivals.Prepare(token, sides[random.Next(sides.Length)])).ToArray()).ToArray();
        var withdraws = entrants.Select(onToken => onToken.Select(_ => random.Next(2) == 0).ToArray()).ToArray();

        Race.Run(Rounds, racers, (round, racer) =>
        {
            var entrant = entrants[round][racer];
            if (entrant.Enter().Result == PairingResult.Waiting && withdraws[round][racer])
            {
                entrant.TryWithdraw();
            }
        });

        var everyone = entrants.SelectMany(onToken => onToken).ToArray();
        var claimers = everyone.Where(entrant => entrant.Result == PairingResult.Matched).ToDictionary(entrant => entrant.Claimed);
        foreach (var onToken in entrants)
        {
            var waiters = onToken.Where(entrant => entrant.Result == PairingResult.Waiting).ToArray();
            foreach (var waiter in waiters)
            {
                var state = waiter.Pending.State;
                Assert.Equal(waiter.Withdrew, state == PendingState.Withdrawn);
                Assert.Equal(claimers.ContainsKey(waiter.Pending), state == PendingState.Claimed);
                Assert.Equal(state is PendingState.Claimed or PendingState.Dismissed, waiter.Pending.Decided.IsCompleted);
                if (state == PendingState.Claimed)
                {
                    var claimer = claimers[waiter.Pending];
                    Assert.Same(claimer.Connection, waiter.Pending.Partner);
                    Assert.Contains(claimer, onToken);
                    Assert.True(waiter.Request.CanPairWith(claimer.Request), $"{Describe(waiter.Request)} paired with {Describe(claimer.Request)}");
                }

                if (state == PendingState.Dismissed)
                {
                    Assert.Contains(onToken, entrant => entrant.Result == PairingResult.Matched);
                }
            }

            var stillWaiting = waiters.Where(waiter => waiter.Pending.State == PendingState.Waiting).ToArray();
            Assert.True(stillWaiting.Length <= arrivals.MaxWaitingPerToken, $"{stillWaiting.Length} wait on one token");
            foreach (var waiter in stillWaiting)
            {
                Assert.All(stillWaiting.Where(other => other != waiter), other =>
                    Assert.False(waiter.Request.CanPairWith(other.Request), $"{Describe(waiter.Request)} and {Describe(other.Request)} both still wait"));
            }
        }

        Assert.Equal(everyone.Count(entrant => entrant.Result == PairingResult.Waiting && entrant.Pending.State == PendingState.Waiting), arrivals.Table.WaitingConnections);
        Race.Run(Rounds, racers, (round, racer) =>
        {
            var entrant = entrants[round][racer];
            if (entrant.Result == PairingResult.Waiting && entrant.Pending.State == PendingState.Waiting)
            {
                Assert.True(entrant.TryWithdraw());
            }
        });

        AssertEmpty(arrivals);
    }

    private static string Describe(PairingRequest request) => $"side {request.Side ?? "(unnamed)"} on {request.TokenPrefix}";

    /// <summary>All have left: nothing waits, and the table never ended a connection itself.</summary>
    private static void AssertEmpty(Arrivals arrivals)
    {
        Assert.Equal(0, arrivals.Table.WaitingConnections);
        Assert.Equal(0, arrivals.Table.WaitingTokens);
        Assert.Empty(arrivals.Recorder.Records);
    }
}
