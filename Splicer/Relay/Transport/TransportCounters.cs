using Splicer.Accept;

namespace Splicer.Transport;

/// <summary>Connections that came through each transport, counted once its setup is done; read by the metrics scraper.</summary>
internal sealed class TransportCounters
{
    private readonly long[] _counts = new long[RelayConnection.TransportNames.Count];

    public long this[string transport] => Volatile.Read(ref _counts[IndexOf(transport)]);

    public void Count(string transport) => Interlocked.Increment(ref _counts[IndexOf(transport)]);

    private static int IndexOf(string transport) => transport switch
    {
        "tls" => 1,
        "ws" => 2,
        "wss" => 3,
        _ => 0,
    };
}
