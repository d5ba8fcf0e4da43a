namespace Splicer.Bench.Load;

/// <summary>Opens one joined pair through a target: connect, handshake, and wait until bytes can flow.</summary>
internal interface IPairOpener
{
    ValueTask<JoinedPair> OpenAsync(CancellationToken cancellationToken);
}
