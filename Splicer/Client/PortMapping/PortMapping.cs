using System.Net;
using Microsoft.Extensions.Logging;

namespace Splicer.Client.PortMapping;

/// <summary>
/// An inbound TCP mapping held on the client's own router: renewed at half its lifetime while held, deleted when
/// disposed. A router that lost it (a reboot) gets it again at the next renewal; the external endpoint may change then.
/// </summary>
public sealed class PortMapping : IAsyncDisposable
{
    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(500);

    private readonly IMappingSession _session;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewals;
    private PortMappingGrant _grant;
    private int _disposed;

    internal PortMapping(IMappingSession session, int localPort, IPAddress gateway, PortMappingGrant grant, TimeSpan requested, ILogger logger)
    {
        _session = session;
        _logger = logger;
        _grant = grant;
        LocalPort = localPort;
        Gateway = gateway;
        _renewals = grant.Lifetime > TimeSpan.Zero ? RenewAsync(requested) : Task.CompletedTask;
    }

    public PortMappingProtocol Protocol => _session.Protocol;

    /// <summary>The router that holds the mapping.</summary>
    public IPAddress Gateway { get; }

    public int LocalPort { get; }

    /// <summary>Where the world reaches <see cref="LocalPort"/>: the router's external address and the mapped port.</summary>
    public IPEndPoint ExternalEndPoint => Volatile.Read(ref _grant).External;

    /// <summary>The lifetime the router granted last; zero for a permanent UPnP lease (deleted on dispose).</summary>
    public TimeSpan Lifetime => Volatile.Read(ref _grant).Lifetime;

    public override string ToString() => $"{Protocol.Name()} {ExternalEndPoint} -> local port {LocalPort}";

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await _renewals;
        try
        {
            await _session.DeleteAsync(CancellationToken.None);
            _logger.LogInformation("Port mapping: {Protocol} mapping {External} deleted", Protocol.Name(), ExternalEndPoint);
        }
        catch (PortMappingException error)
        {
            _logger.LogWarning("Port mapping: could not delete the {Protocol} mapping {External} (it expires by itself): {Reason}", Protocol.Name(), ExternalEndPoint, error.Message);
        }
        finally
        {
            _session.Dispose();
            _stop.Dispose();
        }
    }

    private async Task RenewAsync(TimeSpan requested)
    {
        var wait = Half(Lifetime);
        while (true)
        {
            try
            {
                await Task.Delay(wait, _stop.Token);
                var grant = await _session.MapAsync(requested, _stop.Token);
                if (!grant.External.Equals(ExternalEndPoint))
                {
                    _logger.LogWarning("Port mapping: the {Protocol} mapping moved from {Old} to {New}", Protocol.Name(), ExternalEndPoint, grant.External);
                }

                Volatile.Write(ref _grant, grant);
                wait = Half(grant.Lifetime);
                if (grant.Lifetime == TimeSpan.Zero)
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (PortMappingException error)
            {
                _logger.LogWarning("Port mapping: renewing the {Protocol} mapping {External} failed, trying again: {Reason}", Protocol.Name(), ExternalEndPoint, error.Message);
                wait = Half(wait);
            }
            catch (Exception error)
            {
                // Disposing must still delete the mapping, so a fault here ends the renewals only.
                _logger.LogError(error, "Port mapping: renewing the {Protocol} mapping {External} stopped", Protocol.Name(), ExternalEndPoint);
                return;
            }
        }
    }

    private static TimeSpan Half(TimeSpan span) => span / 2 > ShortestWait ? span / 2 : ShortestWait;
}
