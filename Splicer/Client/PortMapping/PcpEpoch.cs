namespace Splicer.Client.PortMapping;

/// <summary>
/// The check of RFC 6887 section 8.5: whether the server's epoch moved as the client's clock did. When it did not,
/// the router lost its state (a reboot) and every mapping must be made again.
/// </summary>
internal sealed class PcpEpoch
{
    private uint? _serverEpoch;
    private long _clientSeconds;

    /// <summary>Records an answer's epoch, seen at <paramref name="clientSeconds"/>; false when the router lost its state since the last one.</summary>
    public bool Observe(uint serverEpoch, long clientSeconds)
    {
        var previous = _serverEpoch;
        var previousClient = _clientSeconds;
        _serverEpoch = serverEpoch;
        _clientSeconds = clientSeconds;
        if (previous is not { } before)
        {
            return true;
        }

        if (serverEpoch + 1L < before)
        {
            return false;
        }

        long clientDelta = clientSeconds - previousClient;
        long serverDelta = serverEpoch - (long)before;
        return clientDelta + 2 >= serverDelta - (serverDelta / 16) && serverDelta + 2 >= clientDelta - (clientDelta / 16);
    }
}
