namespace Splicer.Client.PortMapping;

/// <summary>One mapping's conversation with the router in one protocol: made, renewed with the same call, deleted.</summary>
internal interface IMappingSession : IDisposable
{
    PortMappingProtocol Protocol { get; }

    /// <summary>Asks for the mapping (again, when renewing); throws <see cref="PortMappingException"/> with the reason when refused.</summary>
    Task<PortMappingGrant> MapAsync(TimeSpan lifetime, CancellationToken cancellationToken);

    Task DeleteAsync(CancellationToken cancellationToken);
}
