using Splicer.Admin;
using Splicer.Admin.Hosting;

namespace Splicer.Tests.Admin;

public sealed class BoundedRingTests
{
    [Fact]
    public void Keeps_the_last_items_oldest_first()
    {
        var ring = new BoundedRing<int>(3);
        Assert.Empty(ring.ToArray());

        ring.Add(1);
        ring.Add(2);
        Assert.Equal([1, 2], ring.ToArray());

        ring.Add(3);
        ring.Add(4);
        ring.Add(5);
        Assert.Equal([3, 4, 5], ring.ToArray());
    }

    [Fact]
    public void A_ring_of_no_items_keeps_nothing()
    {
        var ring = new BoundedRing<int>(0);
        ring.Add(1);

        Assert.Empty(ring.ToArray());
    }
}
