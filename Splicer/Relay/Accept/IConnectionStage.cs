namespace Splicer.Accept;

/// <summary>
/// The next stage of an admitted connection (the handshake). It owns the connection from here: it
/// ends it, or hands it on, in every case; an exception it lets escape ends the connection as a relay error.
/// </summary>
internal interface IConnectionStage
{
    Task RunAsync(RelayConnection connection, CancellationToken stopping);
}

/// <summary>What the listener needs of the sessions at stop: it drains them once it stops accepting.</summary>
internal interface ISessionDrain
{
    int Count { get; }

    bool IsDraining { get; }

    Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
