using Splicer.Hosting;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Relay;

/// <summary>
/// The relay's behaviour, one test per rule, on real sockets. Every data path runs the same set:
/// each path is a subclass that names it, and says with <see cref="RequiresAttribute"/> what the
/// path needs of the machine (so its rules are skipped, or fail on CI, where the path cannot run).
/// </summary>
public abstract partial class RelayContractTests
{
    protected abstract DataPath DataPath { get; }

    private Task<RelayHost> StartRelayAsync(params string[] settings) => RelayHost.StartAsync(DataPath, settings);
}

public sealed class PipelinesRelayTests : RelayContractTests
{
    protected override DataPath DataPath => DataPath.Pipelines;
}
