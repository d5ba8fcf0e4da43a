using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Splicer.Accept;
using Splicer.Accounting;
using Splicer.Endings;
using Splicer.Hosting;
using Splicer.Options;
using Splicer.Splice;

namespace Splicer.Tests.Infrastructure;

/// <summary>The real Splicer host, in-process, on free ports, with a memory recorder attached.</summary>
internal sealed class RelayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;

    private readonly string? _ownStateDirectory;

    private RelayHost(WebApplication app, MemoryRecorder records, string? ownStateDirectory)
    {
        _app = app;
        Records = records;
        _ownStateDirectory = ownStateDirectory;
        var bound = app.Services.GetRequiredService<SpliceListener>().LocalEndPoint!;
        EndPoint = new IPEndPoint(IPAddress.Loopback, bound.Port);
        EndPointV6 = new IPEndPoint(IPAddress.IPv6Loopback, bound.Port);
    }

    /// <summary>The splice port on 127.0.0.1.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The splice port on ::1.</summary>
    public IPEndPoint EndPointV6 { get; }

    public MemoryRecorder Records { get; }

    public IServiceProvider Services => _app.Services;

    public SessionRegistry Sessions => _app.Services.GetRequiredService<SessionRegistry>();

    public string EngineName => _app.Services.GetRequiredService<ISpliceEngine>().Name;

    /// <param name="settings">Extra configuration, as <c>Key=Value</c> pairs (e.g. <c>Splicer:PairingTimeout=00:00:01</c>).</param>
    public static Task<RelayHost> StartAsync(DataPath dataPath, params string[] settings) => StartAsync(dataPath, _ => { }, settings);

    /// <param name="services">Replaces or adds services after the relay's own (e.g. a stage that fails on purpose).</param>
    public static async Task<RelayHost> StartAsync(DataPath dataPath, Action<IServiceCollection> services, params string[] settings)
    {
        var records = new MemoryRecorder();

        // Each relay keeps its state in a folder of its own, removed with it, unless the test names one.
        var ownStateDirectory = settings.Any(setting => setting.StartsWith("Splicer:StateDirectory=", StringComparison.Ordinal))
            ? null
            : Path.Combine(Path.GetTempPath(), "splicer-relay-" + Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--Splicer:Port=0",
            "--Admin:Url=http://127.0.0.1:0",
            $"--Splicer:DataPath={dataPath}",
            "--Logging:LogLevel:Default=Warning",
            .. settings.Select(setting => "--" + setting),
            .. ownStateDirectory is null ? Array.Empty<string>() : [$"--Splicer:StateDirectory={ownStateDirectory}"],
        ];
        var app = SplicerHost.Build(args, builder =>
        {
            builder.Services.AddSingleton<ISessionRecorder>(records);
            builder.Logging.ClearProviders();
            services(builder.Services);
        });
        await app.StartAsync().WithPatience();
        return new RelayHost(app, records, ownStateDirectory);
    }

    public Task StopAsync() =>
        Interlocked.Exchange(ref _stopped, 1) == 0 ? _app.StopAsync() : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await StopAsync().WithPatience();
        await _app.DisposeAsync();
        if (_ownStateDirectory is not null && Directory.Exists(_ownStateDirectory))
        {
            Directory.Delete(_ownStateDirectory, recursive: true);
        }
    }
}
