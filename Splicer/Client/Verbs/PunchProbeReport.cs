namespace Splicer.Client.Verbs;

/// <summary>
/// What <c>splicer punch-probe</c> prints: the path it ended on, why, and the times from start (ms): paired at the relay,
/// the peer's first byte over the relay (its hello), and the first byte over the proven, agreed direct connection.
/// </summary>
public sealed record PunchProbeReport(string Path, string Detail, double PairedMs, double FirstByteMs, double? DirectMs);
