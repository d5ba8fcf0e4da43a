using Splicer.Admin.Hosting;

namespace Splicer.Admin;

/// <summary>The last <c>capacity</c> items added, thread-safe; older ones are overwritten.</summary>
public sealed class BoundedRing<T>(int capacity)
{
    private readonly T[] _items = new T[capacity];
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    public void Add(T item)
    {
        if (_items.Length == 0)
        {
            return;
        }

        lock (_lock)
        {
            _items[_next] = item;
            _next = (_next + 1) % _items.Length;
            _count = Math.Min(_count + 1, _items.Length);
        }
    }

    /// <summary>Oldest first.</summary>
    public T[] ToArray()
    {
        lock (_lock)
        {
            var items = new T[_count];
            var oldest = (_next - _count + _items.Length) % Math.Max(1, _items.Length);
            for (var i = 0; i < _count; i++)
            {
                items[i] = _items[(oldest + i) % _items.Length];
            }

            return items;
        }
    }
}
