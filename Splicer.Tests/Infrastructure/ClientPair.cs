namespace Splicer.Tests.Infrastructure;

/// <summary>Two clients paired on one token, both past <c>ok</c>; A arrived first when the order was set. Disposing closes both.</summary>
internal sealed record ClientPair(TestClient A, TestClient B, string Token) : IDisposable
{
    public Task BothClosedAsync() => Task.WhenAll(A.WaitClosedAsync(), B.WaitClosedAsync());

    public void Deconstruct(out TestClient a, out TestClient b) => (a, b) = (A, B);

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}
