using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Live;

/// <summary>Hands each new update to every open event stream; a slow reader misses updates rather than piling them up.</summary>
internal sealed class LiveFeed
{
    private static readonly BoundedChannelOptions PerReader = new(2)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    };

    private readonly Lock _lock = new();
    private readonly List<Channel<LiveUpdate>> _readers = [];
    private LiveUpdate? _latest;

    public LiveUpdate? Latest => Volatile.Read(ref _latest);

    public void Publish(LiveUpdate update)
    {
        lock (_lock)
        {
            Volatile.Write(ref _latest, update);
            foreach (var reader in _readers)
            {
                reader.Writer.TryWrite(update);
            }
        }
    }

    /// <summary>The latest update at once, then each new one, until cancelled.</summary>
    public async IAsyncEnumerable<LiveUpdate> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<LiveUpdate>(PerReader);
        lock (_lock)
        {
            _readers.Add(channel);
            if (_latest is { } latest)
            {
                channel.Writer.TryWrite(latest);
            }
        }

        try
        {
            await foreach (var update in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            lock (_lock)
            {
                _readers.Remove(channel);
            }
        }
    }
}
