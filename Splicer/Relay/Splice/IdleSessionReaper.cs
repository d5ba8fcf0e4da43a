using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Splicer.Endings;
using Splicer.Options;

namespace Splicer.Splice;

/// <summary>Ends paired sessions that moved no byte for longer than <c>Splicer:IdleTimeout</c>.</summary>
internal sealed class IdleSessionReaper(SessionRegistry registry, IOptions<SplicerOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.IdleTimeout is not { } idleTimeout)
        {
            return;
        }

        var ending = Ends.Idle(idleTimeout);
        var period = TimeSpan.FromTicks(Math.Clamp(idleTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var session in registry.Sessions)
                {
                    if (session.Idle >= idleTimeout)
                    {
                        session.End(ending);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
