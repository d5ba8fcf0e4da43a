using System.Net.NetworkInformation;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Splicer.Admin.Access;

/// <summary>
/// Has the host filter read the interface addresses again when they change (a new DHCP lease, IPv6
/// temporary addresses), for an admin that listens on every address.
/// </summary>
internal sealed class InterfaceAddressChanges : IOptionsChangeTokenSource<HostFilteringOptions>, IDisposable
{
    private CancellationTokenSource _changed = new();

    public InterfaceAddressChanges() => NetworkChange.NetworkAddressChanged += OnAddressChanged;

    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public void Dispose()
    {
        NetworkChange.NetworkAddressChanged -= OnAddressChanged;
        _changed.Dispose();
    }

    private void OnAddressChanged(object? sender, EventArgs e)
    {
        // Swap first: the listener asks for the next token from inside Cancel.
        using var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        previous.Cancel();
    }
}
