using System.Text.RegularExpressions;

namespace Splicer.Tests.Infrastructure;

/// <summary>A real nats-server with JetStream on a loopback port it picks itself, its store in a folder of its own.</summary>
internal sealed partial class NatsServer : IAsyncDisposable
{
    private readonly ExternalProcess _process;
    private readonly string _storeDirectory;

    private NatsServer(ExternalProcess process, string storeDirectory, string url)
    {
        _process = process;
        _storeDirectory = storeDirectory;
        Url = url;
    }

    public string Url { get; }

    public static async Task<NatsServer> StartAsync()
    {
        var store = Path.Combine(Path.GetTempPath(), "splicer-nats-" + Guid.NewGuid().ToString("N"));
        var process = ExternalProcess.Start("nats-server", ["-js", "-a", "127.0.0.1", "-p", "-1", "-sd", store]);
        var listening = await process.WaitForLineAsync(line => ClientPort().IsMatch(line)).WithPatience();
        await process.WaitForLineAsync(line => line.Contains("Server is ready", StringComparison.Ordinal)).WithPatience();
        return new NatsServer(process, store, $"nats://127.0.0.1:{ClientPort().Match(listening).Groups[1].Value}");
    }

    /// <summary>Stops the server at once, as a crash or a lost network would.</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        if (Directory.Exists(_storeDirectory))
        {
            Directory.Delete(_storeDirectory, recursive: true);
        }
    }

    [GeneratedRegex(@"Listening for client connections on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ClientPort();
}
