using System.Net.NetworkInformation;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Access;

/// <summary>
/// Has the host filter read the interface addresses again when they change (a new DHCP lease, IPv6
/// temporary addresses), for an admin that listens on every address.
/// </summary>
internal sealed class InterfaceAddressChanges : IOptionsChangeTokenSource<HostFilteringOptions>, IDisposable
{
    private CancellationTokenSource _changed = new();
    private readonly bool _watching;

    public InterfaceAddressChanges(ILogger<InterfaceAddressChanges> logger)
    {
        try
        {
            NetworkChange.NetworkAddressChanged += OnAddressChanged;
            _watching = true;
        }
        catch (NetworkInformationException ex)
        {
            // A sandbox without netlink sockets (systemd's RestrictAddressFamilies=): the admin still starts,
            // answering the addresses it had at start.
            logger.LogWarning("Cannot follow this machine's address changes ({Reason}); the admin answers the addresses it has now", ex.Message);
        }
    }

    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public void Dispose()
    {
        if (_watching)
        {
            NetworkChange.NetworkAddressChanged -= OnAddressChanged;
        }

        _changed.Dispose();
    }

    private void OnAddressChanged(object? sender, EventArgs e)
    {
        // Swap first: the listener asks for the next token from inside Cancel.
        using var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        previous.Cancel();
    }
}
