using System.Net;
using Splicer.Access;
using Splicer.Client.Config;
using Splicer.Client.Failures;
using Splicer.Client.Links;
using Splicer.Client.Paths.DirectLeg;

namespace Splicer.Client.Paths.RelayLeg;

/// <summary>
/// The relay a verb talks to, and how it gets in: with this device's credential and key when the relay was
/// joined (the native <c>relay</c> handshake, needed by a <c>Doors</c> relay), else with the plain
/// wormhole-style <c>please relay</c> line (an <c>Open</c> relay).
/// </summary>
public sealed class RelayTarget(RelayAddress address, RememberedRelay? enrollment, DeviceKey? device, RelayTrust? trust = null) : IDisposable
{
    public RelayAddress Address { get; } = address;

    /// <summary>The certificates a TLS relay may show (<c>tls://</c>, <c>wss://</c>).</summary>
    public RelayTrust Trust { get; } = trust ?? RelayTrust.System;

    public RememberedRelay? Enrollment { get; } = enrollment;

    public DeviceKey? Device { get; } = device;

    /// <summary>Whether a session may move to a direct path to the peer (<c>--relay-only</c>, <c>--direct-only</c>).</summary>
    public PathChoice Path { get; set; } = PathChoice.Auto;

    /// <summary>
    /// Told while the relay holds this side for its partner, with how long so far: a second in, then every ten
    /// (a verb says so on stderr; a tunnel's standing waiter has nothing to say).
    /// </summary>
    public Action<TimeSpan>? Waiting { get; set; }

    /// <summary>How this side punches (hidden test options: a late side, the number of birthday sockets).</summary>
    public DirectPathOptions Punch { get; set; } = DirectPathOptions.Default;

    /// <summary>
    /// <paramref name="relay"/> is a remembered relay's name or a URL (a remembered relay at that URL brings its
    /// credential); without it, the default relay. <paramref name="transport"/> reaches the same host and port over
    /// another transport (<c>--transport</c>); <paramref name="trust"/> is <c>--ca</c>.
    /// </summary>
    public static RelayTarget Resolve(string? relay, ClientDirectory directory, RelayTransport? transport = null, RelayTrust? trust = null)
    {
        var config = ClientConfig.Load(directory);
        var named = relay is null ? config.DefaultRelay : config.Find(relay);
        if (relay is null && named is null)
        {
            throw new ClientFailure("no relay: pass --relay tcp://HOST:PORT, or run 'splicer join INVITE' to remember one", ClientFailure.Usage);
        }

        // A URL keeps its own transport and path even when it names a remembered relay's host and port.
        var address = named is not null ? RelayAddress.Parse(named.Url) : RelayAddress.Parse(relay!);
        var remembered = named ?? config.Relays.FirstOrDefault(known => known.Urls.Any(url => SameHostAndPort(url, address)));
        address = transport is { } over ? address.Over(over) : address;
        return remembered is null
            ? new RelayTarget(address, null, null, trust)
            : new RelayTarget(address, remembered, LoadDevice(directory.DeviceKeyFile(remembered.Name)), trust);
    }

    public void Dispose() => Device?.Dispose();

    /// <summary>A remembered relay is found by any URL it was invited under, over any transport: one port serves them all.</summary>
    private static bool SameHostAndPort(string url, RelayAddress wanted) =>
        RelayAddress.TryParse(url, out var known, out _) && wanted.Port == known!.Port && SameHost(wanted.Host, known.Host);

    /// <summary>Addresses compare as addresses (<c>2001:DB8::1</c> is <c>2001:db8:0::1</c>), names without case.</summary>
    private static bool SameHost(string left, string right) =>
        IPAddress.TryParse(left, out var leftAddress) && IPAddress.TryParse(right, out var rightAddress)
            ? leftAddress.Equals(rightAddress)
            : string.Equals(left, right, StringComparison.OrdinalIgnoreCase);

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
