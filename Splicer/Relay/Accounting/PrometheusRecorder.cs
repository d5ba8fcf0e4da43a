using Prometheus;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Handshake;
using Splicer.Rendezvous;
using Splicer.Rendezvous.Direct;
using Splicer.Splice;
using Splicer.Transport;

namespace Splicer.Accounting;

/// <summary>
/// The relay's Prometheus metrics. Counters and levels kept by the engine are copied in when
/// <c>/metrics</c> is scraped; what only an ended session knows (outcome, duration, size) is
/// observed here as each session ends. Nothing here runs per chunk.
/// </summary>
internal sealed class PrometheusRecorder : ISessionRecorder
{
    private readonly Counter _accepted;
    private readonly Counter _handshakes;
    private readonly Counter _sessionsStarted;
    private readonly Counter _relayedBytes;
    private readonly Counter _sessionsEnded;
    private readonly Counter _connectionsEnded;
    private readonly Counter _refusals;
    private readonly Counter _outOfDescriptors;
    private readonly Counter _transportConnections;
    private readonly Counter _transportSessionSides;
    private readonly Counter _transportBytes;
    private readonly Counter _punchPairs;
    private readonly Counter _punchSides;
    private readonly Counter _punchResults;
    private readonly Gauge _connectionsLimit;
    private readonly Gauge _sessionsActive;
    private readonly Gauge _tokensWaiting;
    private readonly Gauge _connectionsWaiting;
    private readonly Gauge _connectionsOpen;
    private readonly Histogram _sessionDuration;
    private readonly Histogram _pairingWait;
    private readonly Histogram _sessionSize;

    public PrometheusRecorder(
        CollectorRegistry registry,
        StageCounters counters,
        ConnectionGate gate,
        PairingTable table,
        SessionRegistry sessions,
        RelayedBytes bytes,
        TransportCounters transports,
        PunchCounters punches)
    {
        var metrics = Metrics.WithCustomRegistry(registry);
        _accepted = metrics.CreateCounter("splicer_connections_accepted_total", "TCP connections accepted on the splice port.");
        _handshakes = metrics.CreateCounter("splicer_handshakes_total", "Handshakes by how the relay answered them.", "result");
        _sessionsStarted = metrics.CreateCounter("splicer_sessions_started_total", "Pairs made (sessions started).");
        _relayedBytes = metrics.CreateCounter("splicer_relayed_bytes_total",
            "Bytes relayed; a_to_b is from the side that arrived first to its partner.", "direction");
        _sessionsEnded = metrics.CreateCounter("splicer_sessions_ended_total", "Paired sessions ended, by outcome.", "outcome");
        _connectionsEnded = metrics.CreateCounter("splicer_connections_ended_total",
            "Connections that ended without being paired, by outcome.", "outcome");
        _refusals = metrics.CreateCounter("splicer_refusals_total", "Connections turned away, by the reason word their reply line gave.", "reason");
        _outOfDescriptors = metrics.CreateCounter("splicer_accept_out_of_descriptors_total",
            "Accepts that failed because the process ran out of file descriptors (each queued client is then refused with a line).");
        _transportConnections = metrics.CreateCounter("splicer_transport_connections_total",
            "Connections by the transport they came through (tcp, tls, ws, wss), counted once it was set up.", "transport");
        _transportSessionSides = metrics.CreateCounter("splicer_transport_session_sides_total",
            "Sides of ended sessions by transport: a ws side paired with a tcp side counts once for each.", "transport");
        _transportBytes = metrics.CreateCounter("splicer_transport_received_bytes_total",
            "Bytes relayed from sides of ended sessions, by the transport they came from.", "transport");
        _punchPairs = metrics.CreateCounter("splicer_punch_brokered_total",
            "Pairs whose sides both asked for a direct path and were told each other's endpoints, by the address family the relay saw.", "family");
        _punchSides = metrics.CreateCounter("splicer_punch_sides_total",
            "Sides of brokered pairs by what their NAT did to the connection to the relay (none, port_preserving, port_changing, unknown).", "nat");
        _punchResults = metrics.CreateCounter("splicer_punch_results_total",
            "How brokered direct paths went, as the sides reported them (direct or relayed), by what the reporting side's NAT did.", "outcome", "nat");
        _connectionsLimit = metrics.CreateGauge("splicer_connections_limit", "The total connection limit in force (Splicer:MaxConnections, clamped to the fd limit).");
        _sessionsActive = metrics.CreateGauge("splicer_sessions_active", "Sessions being spliced now.");
        _tokensWaiting = metrics.CreateGauge("splicer_tokens_waiting", "Tokens with a connection waiting for its partner.");
        _connectionsWaiting = metrics.CreateGauge("splicer_connections_waiting", "Connections waiting for a partner.");
        _connectionsOpen = metrics.CreateGauge("splicer_connections_open", "Connections held open (all stages).");
        _sessionDuration = metrics.CreateHistogram("splicer_session_duration_seconds", "How long paired sessions lasted.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 4, 10) });
        _pairingWait = metrics.CreateHistogram("splicer_pairing_wait_seconds", "How long the first side waited for its partner.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 4, 10) });
        _sessionSize = metrics.CreateHistogram("splicer_session_size_bytes", "Bytes relayed per session, both directions together.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1024, 4, 13) });

        // Every label value from the start, so that rates and dashboards see zeros rather than gaps.
        foreach (var outcome in Enum.GetValues<Outcome>())
        {
            _sessionsEnded.WithLabels(outcome.Name());
            _connectionsEnded.WithLabels(outcome.Name());
        }

        foreach (var refusal in Refusal.All)
        {
            _refusals.WithLabels(refusal.Word);
        }

        foreach (var transport in RelayConnection.TransportNames)
        {
            _transportSessionSides.WithLabels(transport);
            _transportBytes.WithLabels(transport);
        }

        registry.AddBeforeCollectCallback(() =>
        {
            _accepted.IncTo(counters.Accepted);
            foreach (var verdict in VerdictNames.Counted)
            {
                _handshakes.WithLabels(verdict.Name()).IncTo(counters[verdict]);
            }

            _outOfDescriptors.IncTo(counters.OutOfDescriptors);
            foreach (var transport in RelayConnection.TransportNames)
            {
                _transportConnections.WithLabels(transport).IncTo(transports[transport]);
            }

            _connectionsLimit.Set(gate.MaxTotal);
            foreach (var family in PunchCounters.Families)
            {
                _punchPairs.WithLabels(family).IncTo(punches.Pairs(family));
            }

            foreach (var behaviour in Enum.GetValues<NatBehaviour>())
            {
                _punchSides.WithLabels(behaviour.Name()).IncTo(punches.Sides(behaviour));
                foreach (var outcome in Enum.GetValues<PunchOutcome>())
                {
                    _punchResults.WithLabels(outcome.Name(), behaviour.Name()).IncTo(punches.Results(outcome, behaviour));
                }
            }

            _sessionsStarted.IncTo(sessions.Started);
            var (aToB, bToA) = bytes.Current();
            _relayedBytes.WithLabels("a_to_b").IncTo(aToB);
            _relayedBytes.WithLabels("b_to_a").IncTo(bToA);
            _sessionsActive.Set(sessions.Count);
            _tokensWaiting.Set(table.WaitingTokens);
            _connectionsWaiting.Set(table.WaitingConnections);
            _connectionsOpen.Set(gate.Open);
        });
    }

    public void Record(EndedRecord record)
    {
        if (record is not SessionRecord session)
        {
            _connectionsEnded.WithLabels(record.Outcome.Name()).Inc();
            if (record.Ending.Refusal is { } refusal)
            {
                _refusals.WithLabels(refusal.Word).Inc();
            }

            return;
        }

        _sessionsEnded.WithLabels(session.Outcome.Name()).Inc();
        _sessionDuration.Observe(session.Duration.TotalSeconds);
        _pairingWait.Observe(session.Wait.TotalSeconds);
        _sessionSize.Observe(session.BytesAToB + session.BytesBToA);
        _transportSessionSides.WithLabels(session.TransportA).Inc();
        _transportSessionSides.WithLabels(session.TransportB).Inc();
        _transportBytes.WithLabels(session.TransportA).Inc(session.BytesAToB);
        _transportBytes.WithLabels(session.TransportB).Inc(session.BytesBToA);
    }
}
