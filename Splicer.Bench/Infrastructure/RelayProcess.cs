using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Splicer.Bench.Infrastructure;

/// <summary>
/// A relay (Splicer or a peer) started by the bench as a child process: its output drained, its
/// readiness awaited, its memory and CPU read from /proc, and stopped with SIGTERM.
/// </summary>
internal sealed class RelayProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MarkerGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly OutputTail _output;
    private readonly Task _drainOut;
    private readonly Task _drainErr;
    private readonly bool _forksPerConnection;

    private RelayProcess(Process process, OutputTail output, bool forksPerConnection)
    {
        _process = process;
        _output = output;
        _forksPerConnection = forksPerConnection;
        _drainOut = output.DrainAsync(process.StandardOutput.BaseStream, CancellationToken.None);
        _drainErr = output.DrainAsync(process.StandardError.BaseStream, CancellationToken.None);
    }

    public int Id => _process.Id;

    public string Name { get; private init; } = "";

    /// <summary>
    /// The relay's memory in KiB: VmRSS for a single process; for a server that forks a process per
    /// connection (socat), the proportional set size summed over the whole process tree.
    /// </summary>
    public long? MemoryKiB() =>
        _forksPerConnection ? ProcessStats.ProportionalTreeKiB(Id) : ProcessStats.ResidentKiB(Id);

    /// <summary>CPU seconds of the relay, and for a forking server of its live and reaped children too.</summary>
    public double? CpuSeconds() =>
        _forksPerConnection ? ProcessStats.TreeCpuSeconds(Id) : ProcessStats.CpuSeconds(Id);

    public string RecentOutput => _output.ToString();

    /// <summary>Starts the relay and returns once it serves; if it never does, it is stopped and the error says why.</summary>
    public static async Task<RelayProcess> StartAsync(RelayLaunch launch, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(launch.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = launch.WorkingDirectory,
        };
        foreach (var argument in launch.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The generator's own socket mode (see Program.cs) is not the relay's: each target decides for itself.
        start.Environment.Remove(GeneratorSockets.InlineVariable);
        foreach (var (name, value) in launch.Environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{launch.Name}: could not start {launch.FileName}");
        var relay = new RelayProcess(process, new OutputTail(launch.ReadyMarker), launch.ForksPerConnection) { Name = launch.Name };
        try
        {
            await relay.WaitReadyAsync(launch.EndPoint, launch.ReadyMarker is not null, ReadyTimeout, cancellationToken);
            return relay;
        }
        catch
        {
            await relay.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits for the ready marker on the output or, without one (or when the log level hides it for
    /// a few seconds), until the port accepts.
    /// </summary>
    private async Task WaitReadyAsync(IPEndPoint endPoint, bool byMarker, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var exited = _process.WaitForExitAsync(deadline.Token);
        var ready = byMarker
            ? Task.WhenAny(_output.MarkerSeen.WaitAsync(deadline.Token), WaitAcceptingAsync(endPoint, MarkerGrace, deadline.Token)).Unwrap()
            : WaitAcceptingAsync(endPoint, TimeSpan.Zero, deadline.Token);
        try
        {
            var first = await Task.WhenAny(ready, exited);
            if (first == exited || _process.HasExited)
            {
                await Task.WhenAll(_drainOut, _drainErr).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready: {Reason()}");
            }

            await ready;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:0} s: {Reason()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            foreach (var pid in _forksPerConnection ? ProcessStats.Tree(Id) : [Id])
            {
                _ = Libc.Kill(pid, Libc.SigTerm);
            }

            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        await Task.WhenAll(_drainOut, _drainErr).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    /// <summary>The line of the output that says what went wrong: the first error or exception, else the last line.</summary>
    private string Reason()
    {
        var lines = RecentOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(line => line.Contains("Exception:", StringComparison.Ordinal) || line.Contains("error", StringComparison.OrdinalIgnoreCase))
               ?? lines.LastOrDefault() ?? "(no output)";
    }

    private static async Task WaitAcceptingAsync(IPEndPoint endPoint, TimeSpan after, CancellationToken cancellationToken)
    {
        await Task.Delay(after, cancellationToken);
        while (true)
        {
            using var probe = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(endPoint, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }
}
