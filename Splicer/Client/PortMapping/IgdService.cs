namespace Splicer.Client.PortMapping;

/// <summary>The service of a gateway's device description that maps ports, and where its SOAP actions go.</summary>
internal sealed record IgdService(string ServiceType, Uri ControlUrl);
