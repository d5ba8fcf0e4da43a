namespace Splicer.Client.PortMapping;

/// <summary>Reads a UPnP device description (rootDesc.xml) for a WANIPConnection (version 2 first) or WANPPPConnection service.</summary>
internal static class IgdDescription
{
    private static readonly string[] Preferred =
    [
        "urn:schemas-upnp-org:service:WANIPConnection:2",
        "urn:schemas-upnp-org:service:WANIPConnection:1",
        "urn:schemas-upnp-org:service:WANPPPConnection:1",
    ];

    public static IgdService FindConnectionService(string xml, Uri location)
    {
        var document = UpnpXml.Parse(xml, "device description");
        var services = document.Descendants().Where(element => element.Name.LocalName == "service").ToList();
        var baseUrl = document.Descendants().FirstOrDefault(element => element.Name.LocalName == "URLBase")?.Value.Trim() is { Length: > 0 } text
            && Uri.TryCreate(text, UriKind.Absolute, out var declared) && declared.Host == location.Host
            ? declared
            : location;
        foreach (var type in Preferred)
        {
            var service = services.FirstOrDefault(candidate => UpnpXml.Child(candidate, "serviceType") == type);
            if (service is null)
            {
                continue;
            }

            var control = UpnpXml.Child(service, "controlURL");
            if (control is null || !Uri.TryCreate(baseUrl, control, out var controlUrl) || controlUrl.Scheme != Uri.UriSchemeHttp || controlUrl.Host != location.Host)
            {
                throw new PortMappingException($"the gateway's {type} has no usable control URL ('{control}')");
            }

            return new IgdService(type, controlUrl);
        }

        throw new PortMappingException("the gateway's description offers no WANIPConnection or WANPPPConnection service");
    }
}
