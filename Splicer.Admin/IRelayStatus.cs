using Splicer.Admin.Hosting;

namespace Splicer.Admin;

/// <summary>What the admin needs to know of the relay's state; the engine implements it.</summary>
public interface IRelayStatus
{
    /// <summary>The splice port is bound and accepting.</summary>
    bool IsListening { get; }

    /// <summary>The relay is stopping: no new connections, running sessions finishing.</summary>
    bool IsDraining { get; }

    /// <summary>Why every new client is refused until one leaves (the connection or the open-files limit), or null while there is room.</summary>
    string? WhyFull { get; }
}
