using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Splicer.Fleet;

/// <summary>
/// Keeps this node in the fleet: puts its record in the members' bucket every <c>RefreshEvery</c> (the
/// bucket's max age is the record's lifetime, so a node that dies leaves no record behind), watches the
/// bucket for the others, and deletes its own record when it stops. NATS going away is normal input: the
/// node says so, keeps serving what it holds, and joins again when NATS is back.
/// </summary>
internal sealed partial class FleetMembership(
    IOptions<FleetOptions> options,
    FleetMembers members,
    INodeLoad load,
    TimeProvider time,
    ILogger<FleetMembership> logger) : BackgroundService
{
    private static readonly TimeSpan LongestRetryPause = TimeSpan.FromSeconds(10);
    private static readonly string Version = typeof(FleetMembership).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";

    private readonly FleetOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = _options.RefreshEvery;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = Connect();
                await connection.ConnectAsync();
                var store = await new NatsKVContext(new NatsJSContext(connection)).CreateOrUpdateStoreAsync(
                    new NatsKVConfig(_options.MembersBucket) { MaxAge = _options.RecordLifetime, History = 1 }, stoppingToken);
                LogJoined(logger, _options.NodeId, _options.Nats!, _options.MembersBucket);
                pause = _options.RefreshEvery;
                await RunAsync(store, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogNatsUnreachable(logger, _options.Nats!, ex.Message, pause.TotalSeconds);
                if (!await PauseAsync(pause, stoppingToken))
                {
                    return;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestRetryPause.Ticks));
            }
        }
    }

    /// <summary>Waits before the next try; false when the node is stopping instead.</summary>
    private async Task<bool> PauseAsync(TimeSpan pause, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(pause, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private NatsConnection Connect() => new(NatsOpts.Default with
    {
        Url = _options.Nats!,
        Name = "splicer-" + _options.NodeId,
        AuthOpts = _options.CredentialsFile is { Length: > 0 } credentials ? NatsAuthOpts.Default with { CredsFile = credentials } : NatsAuthOpts.Default,
    });

    /// <summary>Refreshes this node's record and watches the others' until stopped or NATS fails; deletes the record when stopped.</summary>
    private async Task RunAsync(INatsKVStore store, CancellationToken stoppingToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var watching = WatchAsync(store, failed.Token);
        try
        {
            using var timer = new PeriodicTimer(_options.RefreshEvery, time);
            do
            {
                await store.PutAsync(_options.NodeId, JsonSerializer.SerializeToUtf8Bytes(OwnRecord(), FleetJson.Default.NodeRecord), cancellationToken: stoppingToken);
                foreach (var gone in members.ForgetSilent(_options.RecordLifetime))
                {
                    LogGone(logger, gone, _options.RecordLifetime.TotalSeconds);
                }
            }
            while (!watching.IsCompleted && await timer.WaitForNextTickAsync(stoppingToken));

            await watching;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await LeaveAsync(store);
            throw;
        }
        finally
        {
            await failed.CancelAsync();
        }
    }

    private async Task WatchAsync(INatsKVStore store, CancellationToken cancellationToken)
    {
        await foreach (var entry in store.WatchAsync<byte[]>(cancellationToken: cancellationToken))
        {
            if (entry.Operation is NatsKVOperation.Del or NatsKVOperation.Purge)
            {
                if (members.Left(entry.Key))
                {
                    LogLeft(logger, entry.Key);
                }
            }
            else if (entry.Value is { } value && Read(value) is { } record && members.Saw(record) && record.NodeId != _options.NodeId)
            {
                LogSaw(logger, record.NodeId, record.Address);
            }
        }
    }

    private NodeRecord? Read(byte[] value)
    {
        try
        {
            return JsonSerializer.Deserialize(value, FleetJson.Default.NodeRecord);
        }
        catch (JsonException ex)
        {
            LogUnreadable(logger, ex.Message);
            return null;
        }
    }

    private NodeRecord OwnRecord() =>
        new(_options.NodeId, _options.Address!, Version, load.Connections, load.Sessions, load.Draining, time.GetUtcNow());

    /// <summary>Deletes this node's record so the others know at once; a NATS that is gone by then lets it expire instead.</summary>
    private async Task LeaveAsync(INatsKVStore store)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await store.DeleteAsync(_options.NodeId, cancellationToken: timeout.Token);
            LogLeaving(logger, _options.NodeId);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException)
        {
            LogLeaveFailed(logger, _options.NodeId, _options.RecordLifetime.TotalSeconds);
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Fleet: node {NodeId} joined through NATS {Nats} (members in bucket {Bucket})")]
    private static partial void LogJoined(ILogger logger, string nodeId, string nats, string bucket);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Fleet: NATS {Nats} unreachable ({Reason}); this node serves on its own meanwhile and tries again in {Seconds:F0}s")]
    private static partial void LogNatsUnreachable(ILogger logger, string nats, string reason, double seconds);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Fleet: node {NodeId} at {Address} is live")]
    private static partial void LogSaw(ILogger logger, string nodeId, string address);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Fleet: node {NodeId} left")]
    private static partial void LogLeft(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Fleet: node {NodeId} is gone (no record for {Seconds:F0}s)")]
    private static partial void LogGone(ILogger logger, string nodeId, double seconds);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Fleet: a member record could not be read ({Reason}); skipped")]
    private static partial void LogUnreadable(ILogger logger, string reason);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "Fleet: node {NodeId} leaves the fleet")]
    private static partial void LogLeaving(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "Fleet: node {NodeId} could not delete its record; it expires within {Seconds:F0}s")]
    private static partial void LogLeaveFailed(ILogger logger, string nodeId, double seconds);
}
