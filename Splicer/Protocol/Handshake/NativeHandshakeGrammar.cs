using System.Globalization;
using System.Text;

namespace Splicer.Handshake;

/// <summary>
/// Splicer's own handshake, version 1 (docs/protocols.md, "Native handshake"), checked one byte at a time like
/// <see cref="HandshakeGrammar"/>: refused at the first byte that no valid line could have there, and
/// never asking for a byte past the shortest line the accepted bytes can still become. One line, at most
/// <see cref="MaxLength"/> bytes, fields separated by one space:
/// <code>
/// splicer 1 relay TOKEN SIDE CREDENTIAL TIME PROOF[ punch[=ENDPOINT,…]]\n
/// splicer 1 join SECRET DEVICE_KEY TIME PROOF NAME\n
/// splicer 1 punched TICKET OUTCOME\n
/// </code>
/// Its first byte (<c>s</c>) tells it apart from wormhole's <c>please relay …</c> (<c>p</c>).
/// </summary>
internal struct NativeHandshakeGrammar
{
    public const byte FirstByte = (byte)'s';

    private static readonly FieldSpec[] RelayFields =
    [
        new(NativeField.Token, 64, 64, CharacterClass.Word),
        new(NativeField.Side, 16, 16, CharacterClass.Word),
        new(NativeField.Credential, 1, 256, CharacterClass.Base64Url),
        new(NativeField.Time, 1, 11, CharacterClass.Decimal),
        new(NativeField.Proof, 86, 86, CharacterClass.Base64Url, FinalZeroBits: 4),
        new(NativeField.Punch, PunchRequest.Keyword.Length, PunchRequest.MaxFieldLength, CharacterClass.Punch, Optional: true),
    ];

    private static readonly FieldSpec[] JoinFields =
    [
        new(NativeField.InviteSecret, 43, 43, CharacterClass.Base64Url, FinalZeroBits: 2),
        new(NativeField.DeviceKey, 43, 43, CharacterClass.Base64Url, FinalZeroBits: 2),
        new(NativeField.Time, 1, 11, CharacterClass.Decimal),
        new(NativeField.Proof, 86, 86, CharacterClass.Base64Url, FinalZeroBits: 4),
        new(NativeField.Name, 1, 64, CharacterClass.Name),
    ];

    private static readonly FieldSpec[] PunchedFields =
    [
        new(NativeField.Ticket, PunchReport.TicketLength, PunchReport.TicketLength, CharacterClass.Word),
        new(NativeField.PunchOutcome, 1, 16, CharacterClass.Name),
    ];

    private static ReadOnlySpan<byte> Magic => "splicer "u8;
    private static ReadOnlySpan<byte> VersionOne => "1 "u8;
    private static ReadOnlySpan<byte> RelayVerb => "relay "u8;
    private static ReadOnlySpan<byte> JoinVerb => "join "u8;
    private static ReadOnlySpan<byte> PunchedVerb => "punched "u8;

    private static int HeadLength => Magic.Length + VersionOne.Length;

    /// <summary>The longest line of either verb, newline included.</summary>
    public static int MaxLength { get; } = Math.Max(
        HeadLength + RelayVerb.Length + Longest(RelayFields),
        HeadLength + JoinVerb.Length + Longest(JoinFields));

    private int _accepted;
    private NativeVerb? _verb;
    private int _verbLength;
    private int _fieldIndex;
    private int _fieldLength;

    /// <summary>Bytes accepted so far.</summary>
    public readonly int Accepted => _accepted;

    /// <summary>The verb, once its first byte has been read.</summary>
    public readonly NativeVerb? Verb => _verb;

    /// <summary>The part of the line the next byte belongs to; after a refusal, the part that was wrong.</summary>
    public readonly NativeField Field => _accepted switch
    {
        _ when _accepted < Magic.Length => NativeField.Magic,
        _ when _accepted < HeadLength => NativeField.Version,
        _ when _verb is null || _verbLength < VerbLiteral(_verb.Value).Length => NativeField.Verb,
        _ => Fields(_verb.Value)[_fieldIndex].Field,
    };

    /// <summary>Checks the next byte and, unless it is refused, accepts it.</summary>
    public ByteVerdict Check(byte value)
    {
        var verdict = Next(value);
        if (verdict != ByteVerdict.Invalid)
        {
            _accepted++;
        }

        return verdict;
    }

    /// <summary>
    /// How many more bytes may be read without reading past the end of the shortest line the accepted
    /// bytes can still become, so nothing sent after the handshake is consumed with it.
    /// </summary>
    public readonly int BytesToRead()
    {
        if (_accepted < HeadLength)
        {
            return HeadLength - _accepted + ShortestAfterHead();
        }

        if (_verb is not { } verb)
        {
            return ShortestAfterHead();
        }

        var literal = VerbLiteral(verb);
        if (_verbLength < literal.Length)
        {
            return literal.Length - _verbLength + Shortest(Fields(verb), 0);
        }

        var field = Fields(verb)[_fieldIndex];
        return Math.Max(field.MinLength - _fieldLength, 0) + 1 + Shortest(Fields(verb), _fieldIndex + 1);
    }

    /// <summary>
    /// Reads the fields of a whole line that the grammar has completed; null when its punch field's endpoints
    /// cannot be read (the grammar checks only their characters).
    /// </summary>
    public static NativeHandshake? Parse(ReadOnlySpan<byte> line)
    {
        var parts = Encoding.ASCII.GetString(line[HeadLength..^1]).Split(' ');
        switch (parts[0])
        {
            case "join":
                return new NativeJoinRequest(parts[1], parts[2], Time(parts[3]), parts[4], parts[5]);
            case "punched":
                return PunchReport.TryParseOutcome(parts[2], out var outcome) ? new PunchReport(parts[1], outcome) : null;
        }

        PunchRequest? punch = null;
        if (parts.Length > 6 && !PunchRequest.TryParse(parts[6], out punch))
        {
            return null;
        }

        return new NativeRelayRequest(parts[1], parts[2], parts[3], Time(parts[4]), parts[5]) { Punch = punch };
    }

    private ByteVerdict Next(byte value)
    {
        if (_accepted < Magic.Length)
        {
            return value == Magic[_accepted] ? ByteVerdict.Continue : ByteVerdict.Invalid;
        }

        if (_accepted < HeadLength)
        {
            return value == VersionOne[_accepted - Magic.Length] ? ByteVerdict.Continue : ByteVerdict.Invalid;
        }

        return _verb is { } verb && _verbLength == VerbLiteral(verb).Length ? NextInField(verb, value) : NextInVerb(value);
    }

    private ByteVerdict NextInVerb(byte value)
    {
        _verb ??= value switch
        {
            (byte)'r' => NativeVerb.Relay,
            (byte)'j' => NativeVerb.Join,
            (byte)'p' => NativeVerb.Punched,
            _ => null,
        };
        if (_verb is not { } verb || value != VerbLiteral(verb)[_verbLength])
        {
            return ByteVerdict.Invalid;
        }

        _verbLength++;
        return ByteVerdict.Continue;
    }

    private ByteVerdict NextInField(NativeVerb verb, byte value)
    {
        var fields = Fields(verb);
        var field = fields[_fieldIndex];
        if (_fieldLength < field.MaxLength && field.Allows(value, _fieldLength))
        {
            _fieldLength++;
            return ByteVerdict.Continue;
        }

        var isLast = _fieldIndex == fields.Length - 1;
        if (_fieldLength < field.MinLength)
        {
            return ByteVerdict.Invalid;
        }

        if (value == '\n' && (isLast || fields[_fieldIndex + 1].Optional))
        {
            return ByteVerdict.Complete;
        }

        if (value != ' ' || isLast)
        {
            return ByteVerdict.Invalid;
        }

        _fieldIndex++;
        _fieldLength = 0;
        return ByteVerdict.Continue;
    }

    private static ReadOnlySpan<byte> VerbLiteral(NativeVerb verb) => verb switch
    {
        NativeVerb.Relay => RelayVerb,
        NativeVerb.Join => JoinVerb,
        _ => PunchedVerb,
    };

    private static FieldSpec[] Fields(NativeVerb verb) => verb switch
    {
        NativeVerb.Relay => RelayFields,
        NativeVerb.Join => JoinFields,
        _ => PunchedFields,
    };

    private static int ShortestAfterHead(NativeVerb verb) => VerbLiteral(verb).Length + Shortest(Fields(verb), 0);

    private static int ShortestAfterHead() => Enum.GetValues<NativeVerb>().Min(ShortestAfterHead);

    /// <summary>The fewest bytes fields <paramref name="from"/> onwards can take, each with its separator (optional ones none).</summary>
    private static int Shortest(FieldSpec[] fields, int from) => fields[from..].Where(field => !field.Optional).Sum(field => field.MinLength + 1);

    private static int Longest(FieldSpec[] fields) => fields.Sum(field => field.MaxLength + 1);

    private static long Time(string digits) => long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    private enum CharacterClass
    {
        /// <summary><c>[A-Za-z0-9_]</c>, as wormhole's tokens and sides.</summary>
        Word,

        /// <summary><c>[A-Za-z0-9_-]</c>, unpadded base64url.</summary>
        Base64Url,

        /// <summary>A decimal number without leading zeros.</summary>
        Decimal,

        /// <summary><c>[A-Za-z0-9._-]</c>, a device name.</summary>
        Name,

        /// <summary><c>punch</c>, then optionally <c>=</c> and endpoints: <c>[0-9A-Fa-f.:[\],]</c>.</summary>
        Punch,
    }

    /// <param name="FinalZeroBits">
    /// For a fixed-length base64url field: how many low bits of its last character must be zero, so that
    /// only the canonical spelling of the bytes is accepted (2 for 32 bytes in 43 characters, 4 for 64 in 86).
    /// </param>
    /// <param name="Optional">The line may end before this field (only the last fields of a verb may be optional).</param>
    private readonly record struct FieldSpec(NativeField Field, int MinLength, int MaxLength, CharacterClass Class, int FinalZeroBits = 0, bool Optional = false)
    {
        public bool Allows(byte value, int index) => Class switch
        {
            CharacterClass.Punch when index < PunchRequest.Keyword.Length => value == PunchRequest.Keyword[index],
            CharacterClass.Punch when index == PunchRequest.Keyword.Length => value == '=',
            CharacterClass.Punch => PunchRequest.IsEndpointCharacter(value),
            CharacterClass.Word => IsAlphanumeric(value) || value == '_',
            CharacterClass.Base64Url when FinalZeroBits > 0 && index == MaxLength - 1 =>
                Base64UrlValue(value) is { } sextet && (sextet & ((1 << FinalZeroBits) - 1)) == 0,
            CharacterClass.Base64Url => Base64UrlValue(value) is not null,
            CharacterClass.Decimal => value is >= (byte)'0' and <= (byte)'9' && (index > 0 || value != '0'),
            _ => IsAlphanumeric(value) || value is (byte)'.' or (byte)'_' or (byte)'-',
        };

        private static bool IsAlphanumeric(byte value) =>
            value is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9';

        private static int? Base64UrlValue(byte value) => value switch
        {
            >= (byte)'A' and <= (byte)'Z' => value - 'A',
            >= (byte)'a' and <= (byte)'z' => value - 'a' + 26,
            >= (byte)'0' and <= (byte)'9' => value - '0' + 52,
            (byte)'-' => 62,
            (byte)'_' => 63,
            _ => null,
        };
    }
}

public enum NativeVerb
{
    /// <summary>Pair with the peer presenting the same token, as an identity with a credential.</summary>
    Relay,

    /// <summary>Redeem an invite: enroll this device and receive a credential.</summary>
    Join,

    /// <summary>Report how a brokered direct path went, with the ticket the broker gave.</summary>
    Punched,
}

/// <summary>The parts of a native handshake line, to say which one was wrong.</summary>
public enum NativeField
{
    Magic,
    Version,
    Verb,
    Token,
    Side,
    Credential,
    Time,
    Proof,
    InviteSecret,
    DeviceKey,
    Name,
    Punch,
    Ticket,
    PunchOutcome,
}

/// <summary>A native handshake that the grammar accepted; the fields are well-formed but not yet checked.</summary>
public abstract record NativeHandshake;

/// <summary><c>splicer 1 relay TOKEN SIDE CREDENTIAL TIME PROOF[ punch[=ENDPOINT,…]]</c>.</summary>
public sealed record NativeRelayRequest(string Token, string Side, string Credential, long Time, string Proof) : NativeHandshake
{
    public PairingRequest Pairing => new(Token, Side);

    /// <summary>The client asked the relay to broker a direct path (<c>punch</c>); null when it did not.</summary>
    public PunchRequest? Punch { get; init; }

    /// <summary>The token is a secret: only its first 8 characters are ever shown.</summary>
    public override string ToString() => $"relay {Token[..8]}… side {Side}";
}

/// <summary><c>splicer 1 join SECRET DEVICE_KEY TIME PROOF NAME</c>.</summary>
public sealed record NativeJoinRequest(string InviteSecret, string DeviceKey, long Time, string Proof, string Name) : NativeHandshake
{
    /// <summary>The invite secret is never shown.</summary>
    public override string ToString() => $"join as '{Name}' with device {DeviceKey}";
}
