using System.Collections.Concurrent;
using System.Security.Cryptography;
using Splicer.Handshake;

namespace Splicer.Rendezvous.Direct;

/// <summary>
/// The tickets the broker hands out with its advice, one per side, so that a side can later report how its direct
/// path went (<c>splicer 1 punched TICKET OUTCOME</c>) without a credential: a ticket counts once, and only within
/// <see cref="Lifetime"/>. At most <see cref="Capacity"/> are held; when full, advice goes out without a ticket.
/// </summary>
internal sealed class PunchTickets(PunchCounters counters, TimeProvider clock) : IPunchReports
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    public const int Capacity = 20_000;

    private readonly ConcurrentDictionary<string, (NatBehaviour Nat, DateTimeOffset IssuedAt)> _issued = new(StringComparer.Ordinal);

    /// <summary>A fresh ticket for a side whose network did <paramref name="nat"/>; null when the table is full.</summary>
    public string? Issue(NatBehaviour nat)
    {
        if (_issued.Count >= Capacity)
        {
            ForgetExpired();
            if (_issued.Count >= Capacity)
            {
                return null;
            }
        }

        var ticket = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PunchReport.TicketLength / 2));
        _issued[ticket] = (nat, clock.GetUtcNow());
        return ticket;
    }

    public void Record(PunchReport report)
    {
        if (_issued.TryRemove(report.Ticket, out var issued) && clock.GetUtcNow() - issued.IssuedAt <= Lifetime)
        {
            counters.CountResult(report.Outcome, issued.Nat);
        }
    }

    private void ForgetExpired()
    {
        var now = clock.GetUtcNow();
        foreach (var (ticket, issued) in _issued)
        {
            if (now - issued.IssuedAt > Lifetime)
            {
                _issued.TryRemove(ticket, out _);
            }
        }
    }
}
