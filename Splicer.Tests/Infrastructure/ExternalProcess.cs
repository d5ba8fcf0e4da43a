using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Splicer.Tests.Infrastructure;

/// <summary>A child process whose output a test can wait on, killed with its children when disposed.</summary>
internal sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private ExternalProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>The process's resident memory (VmRSS) in MiB now.</summary>
    public long ResidentMegabytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{Id}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        }
    }

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    public static ExternalProcess Start(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }

        var external = new ExternalProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        external._process.OutputDataReceived += (_, e) => external.Append(e.Data);
        external._process.ErrorDataReceived += (_, e) => external.Append(e.Data);
        external._process.Start();
        external._process.StandardInput.Close();
        external._process.BeginOutputReadLine();
        external._process.BeginErrorReadLine();
        return external;
    }

    /// <summary>Completes with the first output line (past or future) that matches.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        lock (_lock)
        {
            var seen = _output.ToString().Split('\n').FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
            return waiter.Task.WaitAsync(Patience.Long);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout ?? Patience.Long);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Asks the process to stop as systemd or Ctrl-C would.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
        await kill.WaitForExitAsync().WithPatience();
    }

    /// <summary>Kills the process at once with SIGKILL (kill -9): no drain, no flush, no clean-up of any kind.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WithPatience();
    }

    /// <summary>Waits until something accepts connections on the loopback port.</summary>
    public static Task WaitForPortAsync(int port) => Patience.UntilAsync(async () =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }, $"a listener on port {port}");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WithPatience();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult(line);
            }
        }
    }
}
