namespace Splicer.Client.Direct;

/// <summary>What <c>splicer punch-probe</c> prints: the path it ended on, why, and the times from start (ms).</summary>
public sealed record PunchProbeReport(string Path, string Detail, double PairedMs, double? DirectMs);
