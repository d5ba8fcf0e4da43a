using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Splicer.Hosting;

namespace Splicer.Tests.Infrastructure;

internal static class SocketEngineSetup
{
    /// <summary>
    /// The in-process relays share this process's socket engine, which reads its mode once, at the
    /// first socket any test opens. Deciding it here, before any test runs, makes every test see the
    /// mode Splicer ships with (inline completions) rather than whichever came first.
    /// </summary>
#pragma warning disable CA2255 // A test assembly, not a library: this is its process start-up.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UseShippedSocketMode() => SocketCompletions.Apply(new ConfigurationBuilder().Build());
}
