using Microsoft.Extensions.DependencyInjection;
using Splicer.Accept;
using Splicer.Rendezvous;

namespace Splicer.Tests.Infrastructure;

internal static class ServiceLookups
{
    public static int WaitingConnections(this IServiceProvider services) =>
        services.GetRequiredService<PairingTable>().WaitingConnections;

    public static int OpenConnections(this IServiceProvider services) =>
        services.GetRequiredService<ConnectionGate>().Open;
}
