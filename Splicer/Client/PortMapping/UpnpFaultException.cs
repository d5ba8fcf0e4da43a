namespace Splicer.Client.PortMapping;

/// <summary>A SOAP fault from the gateway: the UPnP error code decides what to try next (718 taken, 725 permanent only).</summary>
internal sealed class UpnpFaultException(string action, int code, string description)
    : Exception($"the gateway refused {action}: UPnP error {code} {description}".TrimEnd())
{
    public const int ConflictInMappingEntry = 718;
    public const int OnlyPermanentLeasesSupported = 725;

    public int Code { get; } = code;
}
