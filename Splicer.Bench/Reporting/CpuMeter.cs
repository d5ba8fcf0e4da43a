using System.Diagnostics;
using Splicer.Bench.Infrastructure;

namespace Splicer.Bench.Reporting;

/// <summary>Adds up wall time and CPU time (the bench's own and the relay's) over measured sections.</summary>
internal sealed class CpuMeter(RelayProcess? relay)
{
    private readonly Process _self = Process.GetCurrentProcess();
    private long _startTimestamp;
    private TimeSpan _startSelf;
    private double? _startRelay;

    public double WallSeconds { get; private set; }

    public double BenchCpuSeconds { get; private set; }

    public double? RelayCpuSeconds { get; private set; }

    public void Start()
    {
        _self.Refresh();
        _startSelf = _self.TotalProcessorTime;
        _startRelay = relay?.CpuSeconds();
        _startTimestamp = Stopwatch.GetTimestamp();
    }

    public void Stop()
    {
        WallSeconds += Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        _self.Refresh();
        BenchCpuSeconds += (_self.TotalProcessorTime - _startSelf).TotalSeconds;
        if (relay?.CpuSeconds() is { } end && _startRelay is { } start)
        {
            RelayCpuSeconds = (RelayCpuSeconds ?? 0) + (end - start);
        }
    }
}
