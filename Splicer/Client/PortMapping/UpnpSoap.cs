using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Splicer.Client.PortMapping;

/// <summary>WANIPConnection's SOAP actions over HTTP: a request envelope, the named values of the answer, or its fault.</summary>
internal sealed class UpnpSoap(HttpClient http, IgdService service)
{
    private static readonly XNamespace Envelope = "http://schemas.xmlsoap.org/soap/envelope/";

    public async Task<XDocument> CallAsync(string action, IEnumerable<(string Name, string Value)> arguments, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, service.ControlUrl)
        {
            Content = new StringContent(Write(service.ServiceType, action, arguments), Encoding.UTF8, "text/xml"),
        };
        request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{service.ServiceType}#{action}\"");
        string body;
        HttpStatusCode status;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new PortMappingException($"the gateway did not answer {action}: {error.Message}");
        }

        return Read(action, status, body);
    }

    public static string Write(string serviceType, string action, IEnumerable<(string Name, string Value)> arguments)
    {
        XNamespace u = serviceType;
        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                Envelope + "Envelope",
                new XAttribute(XNamespace.Xmlns + "s", Envelope),
                new XAttribute(Envelope + "encodingStyle", "http://schemas.xmlsoap.org/soap/encoding/"),
                new XElement(Envelope + "Body", new XElement(u + action, new XAttribute(XNamespace.Xmlns + "u", u), arguments.Select(argument => new XElement(argument.Name, argument.Value))))));
        return document.Declaration + document.ToString(SaveOptions.DisableFormatting);
    }

    public static XDocument Read(string action, HttpStatusCode status, string body)
    {
        if (status == HttpStatusCode.OK)
        {
            return UpnpXml.Parse(body, $"answer to {action}");
        }

        if (status == HttpStatusCode.InternalServerError && body.Length > 0)
        {
            var fault = UpnpXml.Parse(body, $"fault for {action}");
            if (int.TryParse(UpnpXml.Descendant(fault, "errorCode"), out var code))
            {
                throw new UpnpFaultException(action, code, UpnpXml.Descendant(fault, "errorDescription") ?? "");
            }
        }

        throw new PortMappingException($"the gateway answered {action} with HTTP {(int)status}");
    }
}
