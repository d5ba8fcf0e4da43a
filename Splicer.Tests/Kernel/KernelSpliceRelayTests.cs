using Splicer.Hosting;
using Splicer.Options;
using Splicer.Tests.Infrastructure;
using Splicer.Tests.Relay;

namespace Splicer.Tests.Kernel;

/// <summary>Every protocol and data rule of the relay, run on the kernel zero-copy path.</summary>
[Requires(Prerequisite.KernelSplice)]
public sealed class KernelSpliceRelayTests : RelayContractTests
{
    protected override DataPath DataPath => DataPath.KernelSplice;
}
