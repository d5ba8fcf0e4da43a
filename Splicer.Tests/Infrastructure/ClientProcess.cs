using System.Diagnostics;
using System.Text;

namespace Splicer.Tests.Infrastructure;

/// <summary>
/// The built <c>splicer</c> program run as a client: binary stdin and stdout for the test to feed and read, stderr
/// collected, its own client folder (<c>XDG_CONFIG_HOME</c>). Killed with its children when disposed.
/// </summary>
internal sealed class ClientProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly Lock _lock = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private ClientProcess(Process process) => _process = process;

    public Stream Input => _process.StandardInput.BaseStream;

    public Stream Output => _process.StandardOutput.BaseStream;

    public string Error
    {
        get
        {
            lock (_lock)
            {
                return _error.ToString();
            }
        }
    }

    /// <param name="networkNamespace">Run it inside this network namespace (<c>ip netns exec</c>), as the NAT lab does.</param>
    public static ClientProcess Start(string configHome, IEnumerable<string> arguments, string? workingDirectory = null, string? networkNamespace = null)
    {
        var (fileName, all) = networkNamespace is null ? SplicerProgram.Command(arguments) : SplicerProgram.InNamespace(networkNamespace, arguments);
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in all)
        {
            info.ArgumentList.Add(argument);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory;

        info.Environment["LC_ALL"] = "C.UTF-8";
        info.Environment["XDG_CONFIG_HOME"] = configHome;
        var client = new ClientProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        client._process.ErrorDataReceived += (_, e) => client.AppendError(e.Data);
        client._process.Start();
        client._process.BeginErrorReadLine();
        return client;
    }

    /// <summary>Runs to the end with no input; returns the exit code, stdout and stderr.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunAsync(string configHome, params string[] arguments)
    {
        await using var client = Start(configHome, arguments);
        client.Input.Close();
        var output = await new StreamReader(client.Output).ReadToEndAsync().WithPatience();
        var exit = await client.WaitForExitAsync();
        return (exit, output, client.Error);
    }

    /// <summary>Completes with the first stderr line (past or future) that matches.</summary>
    public Task<string> WaitForErrorLineAsync(Func<string, bool> match)
    {
        lock (_lock)
        {
            var seen = _error.ToString().Split('\n').FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
            return waiter.Task.WaitAsync(Patience.Long);
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WithPatience();
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WithPatience();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void AppendError(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _error.AppendLine(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult(line);
            }
        }
    }
}
