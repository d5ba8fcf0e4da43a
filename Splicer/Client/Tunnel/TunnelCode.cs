using System.Globalization;
using Splicer.Client.Framing;

namespace Splicer.Client.Tunnel;

/// <summary>
/// The tokens and sides of <c>expose</c>/<c>connect</c>, all derived from the code: one lobby token where a
/// <c>connect</c> meets the waiting <c>expose</c> and is given a session id, then a fresh token per connection
/// (<c>expose/SESSION/N</c>). Each role has a fixed side, so two <c>connect</c>s never pair with each other.
/// </summary>
public sealed class TunnelCode(CodeKeys keys)
{
    public const string LobbyPurpose = "expose/lobby";
    public const int SessionLength = 16;

    public CodeKeys Keys { get; } = keys;

    public string ExposeSide { get; } = keys.Token("expose/side/expose")[..16];

    public string ConnectSide { get; } = keys.Token("expose/side/connect")[..16];

    public static string ConnectionPurpose(ReadOnlySpan<byte> session, long number) =>
        $"expose/{Convert.ToHexStringLower(session)}/{number.ToString(CultureInfo.InvariantCulture)}";
}
