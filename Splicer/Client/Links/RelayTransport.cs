namespace Splicer.Client.Links;

/// <summary>How a client reaches a relay's splice port: one port serves all four.</summary>
public enum RelayTransport
{
    Tcp,
    Tls,
    Ws,
    Wss,
}
