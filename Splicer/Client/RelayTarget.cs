using Splicer.Access;

namespace Splicer.Client;

/// <summary>
/// The relay a verb talks to, and how it gets in: with this device's credential and key when the relay was
/// joined (the native <c>relay</c> handshake, needed by a <c>Doors</c> relay), else with the plain
/// wormhole-style <c>please relay</c> line (an <c>Open</c> relay).
/// </summary>
public sealed class RelayTarget(RelayAddress address, RememberedRelay? enrollment, DeviceKey? device) : IDisposable
{
    public RelayAddress Address { get; } = address;

    public RememberedRelay? Enrollment { get; } = enrollment;

    public DeviceKey? Device { get; } = device;

    /// <summary>
    /// <paramref name="relay"/> is a remembered relay's name or a URL (a remembered relay at that URL brings its
    /// credential); without it, the default relay.
    /// </summary>
    public static RelayTarget Resolve(string? relay, ClientDirectory directory)
    {
        var config = ClientConfig.Load(directory);
        var remembered = relay is null
            ? config.DefaultRelay ?? throw new ClientFailure(
                "no relay: pass --relay tcp://HOST:PORT, or run 'splicer join INVITE' to remember one", ClientFailure.Usage)
            : config.Find(relay) ?? config.Relays.FirstOrDefault(known => SameAddress(known.Url, relay));
        if (remembered is null)
        {
            return new RelayTarget(RelayAddress.Parse(relay!), null, null);
        }

        return new RelayTarget(RelayAddress.Parse(remembered.Url), remembered, LoadDevice(directory.DeviceKeyFile(remembered.Name)));
    }

    public void Dispose() => Device?.Dispose();

    private static bool SameAddress(string url, string relay) =>
        RelayAddress.TryParse(relay, out var wanted, out _) && RelayAddress.TryParse(url, out var known, out _) && wanted == known;

    private static DeviceKey LoadDevice(string path)
    {
        if (!File.Exists(path))
        {
            throw new ClientFailure($"the device key {path} is missing; join the relay again with a new invite");
        }

        ClientConfig.RefuseIfOthersCanRead(path);
        return DeviceKey.Import(File.ReadAllBytes(path));
    }
}
