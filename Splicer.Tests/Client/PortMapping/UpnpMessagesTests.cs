using System.Net;
using Splicer.Client.PortMapping;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>UPnP-IGD's pieces: the SSDP search answer, the device description and the SOAP answers, odd ones included.</summary>
public sealed class UpnpMessagesTests
{
    private static readonly IPAddress Gateway = IPAddress.Parse("192.0.2.129");
    private static readonly Uri Location = new("http://192.0.2.129:2189/rootDesc.xml");

    [Fact]
    public void The_search_asks_for_an_Internet_Gateway_Device_with_the_ssdp_discover_header()
    {
        var search = SsdpSearch.Search(SsdpSearch.MulticastGroup);

        Assert.StartsWith("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n", search);
        Assert.Contains("MAN: \"ssdp:discover\"\r\n", search);
        Assert.Contains("ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n", search);
        Assert.EndsWith("\r\n\r\n", search);
    }

    [Fact]
    public void A_search_answer_gives_its_location()
    {
        Assert.True(SsdpSearch.TryReadLocation("HTTP/1.1 200 OK\r\nST: x\r\nlocation: http://192.0.2.129:2189/rootDesc.xml\r\n\r\n", Gateway, out var location, out _));
        Assert.Equal(Location, location);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: http://203.0.113.9:80/rootDesc.xml\r\n\r\n", "another host")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: https://192.0.2.129/rootDesc.xml\r\n\r\n", "without an http LOCATION")]
    [InlineData("HTTP/1.1 200 OK\r\nST: x\r\n\r\n", "without an http LOCATION")]
    [InlineData("HTTP/1.1 404 Not Found\r\n\r\n", "not 200")]
    [InlineData("", "not 200")]
    [InlineData("NOTIFY * HTTP/1.1\r\nLOCATION: http://192.0.2.129/\r\n\r\n", "not 200")]
    public void A_search_answer_pointing_elsewhere_or_malformed_is_not_used(string answer, string problem)
    {
        Assert.False(SsdpSearch.TryReadLocation(answer, Gateway, out _, out var why));
        Assert.Contains(problem, why);
    }

    [Fact]
    public void The_description_gives_WANIPConnection_2_before_1_with_its_control_URL_resolved()
    {
        var service = IgdDescription.FindConnectionService(Description(
            Service("urn:schemas-upnp-org:service:WANIPConnection:1", "/ctl/IPConn1"),
            Service("urn:schemas-upnp-org:service:WANIPConnection:2", "/ctl/IPConn")), Location);

        Assert.Equal("urn:schemas-upnp-org:service:WANIPConnection:2", service.ServiceType);
        Assert.Equal(new Uri("http://192.0.2.129:2189/ctl/IPConn"), service.ControlUrl);
    }

    [Fact]
    public void A_PPP_connection_is_used_when_there_is_no_IP_connection()
    {
        var service = IgdDescription.FindConnectionService(Description(Service("urn:schemas-upnp-org:service:WANPPPConnection:1", "ctl/PPP")), Location);

        Assert.Equal(new Uri("http://192.0.2.129:2189/ctl/PPP"), service.ControlUrl);
    }

    [Fact]
    public void A_description_without_a_connection_service_is_a_reason()
    {
        var error = Assert.Throws<PortMappingException>(() => IgdDescription.FindConnectionService(Description(Service("urn:schemas-upnp-org:service:Layer3Forwarding:1", "/ctl/L3F")), Location));
        Assert.Contains("no WANIPConnection", error.Message);
    }

    [Fact]
    public void A_control_URL_on_another_host_is_a_reason()
    {
        var error = Assert.Throws<PortMappingException>(() => IgdDescription.FindConnectionService(
            Description(Service("urn:schemas-upnp-org:service:WANIPConnection:1", "http://203.0.113.9/ctl")), Location));
        Assert.Contains("no usable control URL", error.Message);
    }

    [Theory]
    [InlineData("not xml at all")]
    [InlineData("<root><device>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><root>&x;</root>")]
    public void A_description_that_is_not_plain_XML_is_a_reason(string xml)
    {
        var error = Assert.Throws<PortMappingException>(() => IgdDescription.FindConnectionService(xml, Location));
        Assert.Contains("not XML we accept", error.Message);
    }

    [Fact]
    public void A_SOAP_request_names_the_action_in_the_service_namespace_with_escaped_values()
    {
        var envelope = UpnpSoap.Write("urn:schemas-upnp-org:service:WANIPConnection:1", "AddPortMapping", [("NewPortMappingDescription", "a<b&c")]);

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", envelope);
        Assert.Contains("<u:AddPortMapping xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">", envelope);
        Assert.Contains("<NewPortMappingDescription>a&lt;b&amp;c</NewPortMappingDescription>", envelope);
    }

    [Fact]
    public void A_SOAP_fault_gives_the_UPnP_error_code()
    {
        const string fault = """
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>
            <detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>718</errorCode><errorDescription>ConflictInMappingEntry</errorDescription></UPnPError></detail>
            </s:Fault></s:Body></s:Envelope>
            """;

        var error = Assert.Throws<UpnpFaultException>(() => UpnpSoap.Read("AddPortMapping", HttpStatusCode.InternalServerError, fault));
        Assert.Equal(UpnpFaultException.ConflictInMappingEntry, error.Code);
        Assert.Contains("718 ConflictInMappingEntry", error.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "")]
    [InlineData(HttpStatusCode.InternalServerError, "<fault/>")]
    public void Another_HTTP_answer_is_a_reason(HttpStatusCode status, string body)
    {
        var error = Assert.Throws<PortMappingException>(() => UpnpSoap.Read("AddPortMapping", status, body));
        Assert.Contains($"HTTP {(int)status}", error.Message);
    }

    private static string Description(params string[] services) =>
        $"""<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device><deviceList><device><deviceList><device><serviceList>{string.Concat(services)}</serviceList></device></deviceList></device></deviceList></device></root>""";

    private static string Service(string type, string control) =>
        $"<service><serviceType>{type}</serviceType><controlURL>{control}</controlURL></service>";
}
