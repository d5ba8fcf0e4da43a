using System.Globalization;
using System.Text;
using Splicer.Access;
using Splicer.Client.Config;
using Splicer.Client.Failures;
using Splicer.Client.Links;
using Splicer.Client.Paths.RelayLeg;

namespace Splicer.Client.Joining;

/// <summary>
/// <c>splicer join INVITE</c>: makes this device's key, redeems the invite with the native <c>join</c> line at the
/// first of its addresses that answers, checks the box key against the invite's fingerprint, and remembers the
/// relay, its credential and the key (docs/protocols.md, "Native handshake").
/// </summary>
public sealed class InviteJoiner(ClientDirectory directory)
{
    /// <summary>What a person is told when the text they gave cannot be used as an invite.</summary>
    internal static string Unreadable(InviteFault fault) => fault switch
    {
        InviteFault.Damaged => "the invite is incomplete or damaged — copy it whole (it is one line, often longer than the window shows)",
        InviteFault.NewerVersion => "the invite was made by a newer Splicer than this one: update splicer, then join again",
        _ => $"that is not an invite: an invite is one line starting with '{InviteCode.Prefix}'",
    };

    public async Task<RememberedRelay> JoinAsync(string inviteText, string deviceName, bool makeDefault, CancellationToken cancellationToken)
    {
        if (!InviteCode.TryParse(inviteText, out var invite, out var fault))
        {
            throw new ClientFailure(Unreadable(fault), ClientFailure.Usage);
        }

        using var device = DeviceKey.Create();
        var (address, answer) = await RedeemAsync(invite!, device, deviceName, cancellationToken);
        var fields = Fields(answer);
        var box = fields.GetValueOrDefault("box") ?? "";
        if (!Base64UrlText.TryDecode(box, 32, out var boxKey) || BoxPublicKey.FingerprintOf(boxKey) != invite!.FingerprintText)
        {
            throw new ClientFailure("the relay's box key does not match the invite's fingerprint: not the relay that made the invite");
        }

        if (!Number(fields, "identity", out var identity) || !Number(fields, "door", out var door)
            || fields.GetValueOrDefault("expires") is not { } expires || (expires != "never" && !Number(fields, "expires", out _)))
        {
            throw new ClientFailure($"unexpected answer from the relay: '{answer}'");
        }

        var relay = new RememberedRelay(
            invite.RelayName,
            address.ToString(),
            invite.RelayName,
            box,
            identity,
            door,
            expires == "never" ? null : DateTimeOffset.FromUnixTimeSeconds(long.Parse(expires, CultureInfo.InvariantCulture)),
            fields["credential"],
            OtherUrls(invite, address));
        directory.Create();
        KeyFiles.WriteOwnerOnly(directory.DeviceKeyFile(relay.Name), device.Export(), replace: true);
        ClientConfig.Load(directory).With(relay, makeDefault).Save(directory);
        return relay;
    }

    /// <summary>A device name the relay accepts: this machine's name with other characters dropped.</summary>
    public static string DefaultDeviceName()
    {
        var name = new string(Environment.MachineName.Where(character => char.IsAsciiLetterOrDigit(character) || character is '.' or '_' or '-').ToArray());
        return name.Length == 0 ? "device" : name[..Math.Min(name.Length, 64)];
    }

    /// <summary>
    /// The invite's addresses other than the one the join went to (a dual-stack relay's other family, say), so that
    /// <c>--relay</c> with one of them is still this relay, with its credential; null when there are none.
    /// </summary>
    private static List<string>? OtherUrls(InviteCode invite, RelayAddress joined)
    {
        var others = invite.Addresses
            .Select(text => RelayAddress.TryParse(text, out var address, out _) ? address!.ToString() : null)
            .OfType<string>()
            .Where(url => url != joined.ToString())
            .Distinct()
            .ToList();
        return others.Count == 0 ? null : others;
    }

    private static async Task<(RelayAddress Address, string Answer)> RedeemAsync(
        InviteCode invite, DeviceKey device, string name, CancellationToken cancellationToken)
    {
        RelayUnreachableException? unreachable = null;
        foreach (var text in invite.Addresses)
        {
            var address = RelayAddress.Parse(text);
            try
            {
                using var link = await RelayDialer.DialAsync(address, RelayTrust.System, cancellationToken);
                await RelayConnector.SendAsync(link, JoinLine(invite, device, name), cancellationToken);
                var answer = await RelayConnector.ReadLineAsync(link, cancellationToken);
                if (!answer.StartsWith("ok ", StringComparison.Ordinal) || !Fields(answer).ContainsKey("credential"))
                {
                    throw new ClientFailure($"unexpected answer from the relay: '{answer}'");
                }

                return (address, answer);
            }
            catch (RelayUnreachableException failure)
            {
                unreachable = failure;
            }
        }

        throw unreachable!;
    }

    private static string JoinLine(InviteCode invite, DeviceKey device, string name)
    {
        var time = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var proof = ProofOfPossession.Sign(device, ProofOfPossession.JoinMessage(invite.Secret.Span, device.PublicKeyText, name, invite.RelayName, time));
        return $"splicer 1 join {Base64UrlText.Encode(invite.Secret.Span)} {device.PublicKeyText} {time} {proof} {name}\n";
    }

    private static bool Number(Dictionary<string, string> fields, string name, out long value)
    {
        value = 0;
        return fields.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value <= DateTimeOffset.MaxValue.ToUnixTimeSeconds();
    }

    private static Dictionary<string, string> Fields(string answer) => answer.Split(' ')
        .Select(part => part.Split('=', 2))
        .Where(pair => pair.Length == 2)
        .ToDictionary(pair => pair[0], pair => pair[1]);
}
