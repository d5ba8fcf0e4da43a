namespace Splicer.Client.PortMapping;

/// <summary>
/// What a decoder makes of one datagram: the answer wanted, a packet to pass over (a stray or stale one: the wait
/// goes on), or a refusal that ends the exchange at once.
/// </summary>
internal readonly record struct DatagramAnswer<T>(T? Value, string? Ignored, string? Refused)
    where T : class
{
    public static DatagramAnswer<T> Accept(T value) => new(value, null, null);

    public static DatagramAnswer<T> Ignore(string why) => new(null, why, null);

    public static DatagramAnswer<T> Refuse(string why) => new(null, null, why);
}
