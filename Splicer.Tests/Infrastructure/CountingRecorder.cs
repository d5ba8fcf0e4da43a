using System.Collections.Concurrent;
using Splicer.Endings;

namespace Splicer.Tests.Infrastructure;

/// <summary>Keeps every record it is given, so a test can count how often a connection was recorded.</summary>
internal sealed class CountingRecorder : IEndingRecorder
{
    private readonly ConcurrentQueue<EndedRecord> _records = new();

    public IReadOnlyList<EndedRecord> Records => _records.ToArray();

    public void Record(EndedRecord record) => _records.Enqueue(record);

    public IReadOnlyList<EndedRecord> Of(long id) => _records.Where(record => record.Id == id).ToArray();
}

/// <summary>An admission (the place a connection holds under the limits) that counts how often it is given back.</summary>
internal sealed class CountingAdmission : IDisposable
{
    private int _released;

    public int Released => Volatile.Read(ref _released);

    public void Dispose() => Interlocked.Increment(ref _released);
}
