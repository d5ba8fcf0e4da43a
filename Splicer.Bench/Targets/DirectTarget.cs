using Splicer.Bench.Load;

namespace Splicer.Bench.Targets;

/// <summary>No relay at all: the client connects straight to the bench's sink. The loopback limit.</summary>
internal sealed class DirectTarget : BenchTarget
{
    public override string Name => "direct";

    public override string Key => "direct";

    public override string Description => "direct loopback to the bench's own sink, no relay (the limit)";

    public override bool HasRelayProcess => false;

    public override Task<RunningTarget> StartAsync(BenchEnvironment environment, CancellationToken cancellationToken) =>
        Task.FromResult(new RunningTarget(new ForwardedPairOpener(Dialer.Create("tcp", environment.Sink.EndPoint, null), environment.Sink), null));
}
