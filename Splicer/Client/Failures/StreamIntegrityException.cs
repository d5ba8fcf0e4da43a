namespace Splicer.Client.Failures;

/// <summary>
/// The end-to-end protected stream from the peer cannot be trusted past this point: a frame failed
/// authentication, or the stream ended without the peer's authenticated end mark. Nothing after the last good
/// frame was handed on.
/// </summary>
public sealed class StreamIntegrityException(string message) : ClientFailure(message);
