using System.Xml;
using System.Xml.Linq;

namespace Splicer.Client.PortMapping;

/// <summary>The service of a gateway's device description that maps ports, and where its SOAP actions go.</summary>
internal sealed record IgdService(string ServiceType, Uri ControlUrl);

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

/// <summary>XML as a router sends it: no DTD, no external entity, a bounded size; bad XML is a reason, not a crash.</summary>
internal static class UpnpXml
{
    public const int LargestDocument = 256 * 1024;

    public static XDocument Parse(string xml, string what)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = LargestDocument,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            return XDocument.Load(reader);
        }
        catch (XmlException error)
        {
            throw new PortMappingException($"the gateway's {what} is not XML we accept: {error.Message}");
        }
    }

    public static string? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(element => element.Name.LocalName == localName)?.Value.Trim();

    public static string? Descendant(XDocument document, string localName) =>
        document.Descendants().FirstOrDefault(element => element.Name.LocalName == localName)?.Value.Trim();
}
