namespace Splicer.Admin.Live;

/// <summary>The last few minutes of throughput samples, oldest first; a fixed ring.</summary>
internal sealed class ThroughputHistory(int capacity)
{
    private readonly ThroughputSample[] _ring = new ThroughputSample[capacity];
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    public void Add(ThroughputSample sample)
    {
        lock (_lock)
        {
            _ring[_next] = sample;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    public ThroughputSample[] ToArray()
    {
        lock (_lock)
        {
            var samples = new ThroughputSample[_count];
            var oldest = (_next - _count + _ring.Length) % _ring.Length;
            for (var i = 0; i < _count; i++)
            {
                samples[i] = _ring[(oldest + i) % _ring.Length];
            }

            return samples;
        }
    }
}
