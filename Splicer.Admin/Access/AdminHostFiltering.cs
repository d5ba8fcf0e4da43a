using System.Net;
using System.Net.NetworkInformation;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Access;

/// <summary>
/// Puts <see cref="AdminHosts"/> into ASP.NET Core's host filter, which WebApplicationBuilder places
/// first in the pipeline. Its own fallback (the top-level <c>AllowedHosts</c> key, else <c>*</c>,
/// which turns the filter off) is a PostConfigure that only fills an empty list, so ours wins.
/// </summary>
internal sealed class AdminHostFiltering(IOptions<AdminOptions> admin) : IConfigureOptions<HostFilteringOptions>
{
    public void Configure(HostFilteringOptions options) =>
        options.AllowedHosts = [.. AdminHosts.Allowed(admin.Value, InterfaceAddresses)];

    private static IEnumerable<IPAddress> InterfaceAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address);
}
