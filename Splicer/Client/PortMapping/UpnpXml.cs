using System.Xml;
using System.Xml.Linq;

namespace Splicer.Client.PortMapping;

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
