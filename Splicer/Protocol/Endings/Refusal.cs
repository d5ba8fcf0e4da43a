using System.Text;

namespace Splicer.Endings;

/// <summary>
/// Why the relay turned a client away: a fixed word from the documented list (docs/protocols.md, "Refusal words")
/// and the reply line the client reads before the close (<c>refused WORD TEXT\n</c>). One list for the
/// relay's limits and for access; the words never change once released, and new ones go at the end.
/// </summary>
public sealed class Refusal
{
    /// <summary>The longest human text a refusal line carries.</summary>
    public const int MaxTextLength = 200;

    // Access (the native handshake, invites, doors), in the order docs/protocols.md documents them.
    public static readonly Refusal Malformed = new("malformed", "the request could not be read");
    public static readonly Refusal UnsupportedVersion = new("unsupported_version", "this relay speaks native handshake version 1");
    public static readonly Refusal BadSignature = new("bad_signature", "signature does not verify");
    public static readonly Refusal CredentialExpired = new("credential_expired", "the credential has expired");
    public static readonly Refusal ClockSkew = new("clock_skew", "the timestamp is too far from the relay's clock");
    public static readonly Refusal Replayed = new("replayed", "this proof was already used");
    public static readonly Refusal UnknownIdentity = new("unknown_identity", "no such identity");
    public static readonly Refusal IdentityDisabled = new("identity_disabled", "the identity is disabled");
    public static readonly Refusal UnknownDevice = new("unknown_device", "this device is not enrolled for the identity");
    public static readonly Refusal UnknownDoor = new("unknown_door", "no such door");
    public static readonly Refusal DoorClosed = new("door_closed", "the door is closed");
    public static readonly Refusal DoorExpired = new("door_expired", "the door has expired");
    public static readonly Refusal DoorExhausted = new("door_exhausted", "the door's allowance is used up");
    public static readonly Refusal NotAllowedOnDoor = new("not_allowed_on_door", "this identity may not use this door");
    public static readonly Refusal AddressNotAllowed = new("address_not_allowed", "no door is open for this address");
    public static readonly Refusal UnknownInvite = new("unknown_invite", "no such invite");
    public static readonly Refusal InviteUsed = new("invite_used", "the invite has been used");
    public static readonly Refusal InviteExpired = new("invite_expired", "the invite has expired");
    public static readonly Refusal DeviceAlreadyEnrolled = new("device_already_enrolled", "this device key is already enrolled");
    public static readonly Refusal QuotaSpent = new("quota_spent", "the byte quota for today or this month is used up");
    public static readonly Refusal QuotaSessions = new("quota_sessions", "as many sessions as the quota allows are running");

    // The relay's own limits.
    public static readonly Refusal RelayFull = new("relay_full", "the relay holds as many connections as it may; try again later");
    public static readonly Refusal SourceFull = new("source_full", "too many connections from your network");
    public static readonly Refusal SourceRate = new("source_rate", "too many new connections from your network; slow down");
    public static readonly Refusal TokenBusy = new("token_busy", "too many connections already wait on this token");
    public static readonly Refusal Draining = new("draining", "the relay is shutting down; try again later");

    /// <summary>Every reason in its documented order, for metrics labels and the documentation test.</summary>
    public static readonly IReadOnlyList<Refusal> All =
    [
        Malformed, UnsupportedVersion, BadSignature, CredentialExpired, ClockSkew, Replayed, UnknownIdentity, IdentityDisabled,
        UnknownDevice, UnknownDoor, DoorClosed, DoorExpired, DoorExhausted, NotAllowedOnDoor, AddressNotAllowed, UnknownInvite,
        InviteUsed, InviteExpired, DeviceAlreadyEnrolled, RelayFull, SourceFull, SourceRate, TokenBusy, Draining, QuotaSpent, QuotaSessions,
    ];

    private Refusal(string word, string text)
    {
        Word = word;
        Text = text;
        Line = LineWith(text);
    }

    /// <summary>The stable lower-case word (logs, metrics, the protocol).</summary>
    public string Word { get; }

    /// <summary>What a person reads, when nothing more particular is said.</summary>
    public string Text { get; }

    /// <summary>The whole reply line with <see cref="Text"/>, newline included.</summary>
    public ReadOnlyMemory<byte> Line { get; }

    public static bool TryParse(string word, out Refusal? refusal)
    {
        refusal = All.FirstOrDefault(candidate => candidate.Word == word);
        return refusal is not null;
    }

    /// <summary><c>refused WORD TEXT\n</c> with a particular text, cut to printable ASCII of at most <see cref="MaxTextLength"/> characters.</summary>
    public byte[] LineWith(string text) => Encoding.ASCII.GetBytes($"refused {Word} {Printable(text)}\n");

    public override string ToString() => Word;

    private static string Printable(string text)
    {
        var printable = new StringBuilder(Math.Min(text.Length, MaxTextLength));
        foreach (var character in text.AsSpan(0, Math.Min(text.Length, MaxTextLength)))
        {
            printable.Append(character is >= ' ' and <= '~' ? character : '?');
        }

        return printable.ToString();
    }
}
