namespace Splicer.Accept;

/// <summary>The splice port is bound by another process (most likely another relay): said in one line, exit 1.</summary>
public sealed class PortInUseException(int port, Exception inner)
    : Exception($"port {port} is in use by another process (Splicer:Port; is another relay running?)", inner)
{
    public int Port { get; } = port;
}
