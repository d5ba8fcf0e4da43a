namespace Splicer.Transport;

/// <summary>WebSocket clients on the splice port (<c>Splicer:WebSocket</c>): <c>ws://HOST:PORT/</c>, or <c>wss://</c> with TLS.</summary>
public sealed class WebSocketTransportOptions
{
    public const string SectionName = "Splicer:WebSocket";

    public bool Enabled { get; set; } = true;

    /// <summary>The path clients upgrade at.</summary>
    public string Path { get; set; } = "/";

    /// <summary>Origins a browser page may connect from (e.g. <c>https://example.org</c>); empty allows any. Clients that send no Origin are not browsers and always allowed.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>How often the relay pings a WebSocket client, keeping NAT mappings alive.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may go unanswered before the client is taken for dead and its connection dropped.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest upgrade request (request line and headers) the relay reads.</summary>
    public int MaxRequestBytes { get; set; } = 8 * 1024;

    /// <summary>
    /// The largest message (all its frames) a client may send; a longer one is closed with 1009. Nothing is
    /// buffered per message, so this bounds misbehaviour, not memory: browsers and the reference relay's clients
    /// send a message per write, far smaller.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;
}
