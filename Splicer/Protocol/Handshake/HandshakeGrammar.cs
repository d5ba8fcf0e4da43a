namespace Splicer.Handshake;

/// <summary>
/// The transit relay's handshake, checked one byte at a time so that a handshake can arrive in any
/// pieces and be refused at the first byte that makes it impossible:
/// <c>please relay TOKEN\n</c> (old form) or <c>please relay TOKEN for side SIDE\n</c> (new form),
/// TOKEN 64 and SIDE 16 word characters.
/// </summary>
internal static class HandshakeGrammar
{
    public const int TokenLength = 64;
    public const int SideLength = 16;

    private static ReadOnlySpan<byte> Prefix => "please relay "u8;
    private static ReadOnlySpan<byte> SideInfix => " for side "u8;

    public static int TokenStart => Prefix.Length;
    public static int TokenEnd => TokenStart + TokenLength;
    public static int SideStart => TokenEnd + SideInfix.Length;
    public static int SideEnd => SideStart + SideLength;

    public static int OldFormLength => TokenEnd + 1;
    public static int NewFormLength => SideEnd + 1;

    public static readonly ReadOnlyMemory<byte> Ok = "ok\n"u8.ToArray();

    /// <summary>Checks the byte at <paramref name="position"/>, given the bytes before it were accepted.</summary>
    public static ByteVerdict Check(ReadOnlySpan<byte> accepted, byte value)
    {
        var position = accepted.Length;
        if (position < TokenStart)
        {
            return value == Prefix[position] ? ByteVerdict.Continue : ByteVerdict.Invalid;
        }

        if (position < TokenEnd)
        {
            return IsWordCharacter(value) ? ByteVerdict.Continue : ByteVerdict.Invalid;
        }

        if (position == TokenEnd)
        {
            return value switch
            {
                (byte)'\n' => ByteVerdict.Complete,
                (byte)' ' => ByteVerdict.Continue,
                _ => ByteVerdict.Invalid,
            };
        }

        if (position < SideStart)
        {
            return value == SideInfix[position - TokenEnd] ? ByteVerdict.Continue : ByteVerdict.Invalid;
        }

        if (position < SideEnd)
        {
            return IsWordCharacter(value) ? ByteVerdict.Continue : ByteVerdict.Invalid;
        }

        return value == (byte)'\n' ? ByteVerdict.Complete : ByteVerdict.Invalid;
    }

    /// <summary>
    /// How many more bytes may be read without reading past the end of any handshake that the
    /// accepted bytes could still become, so nothing the client sends after it is consumed here.
    /// </summary>
    public static int BytesToRead(int acceptedLength) =>
        acceptedLength < OldFormLength ? OldFormLength - acceptedLength : NewFormLength - acceptedLength;

    public static PairingRequest Parse(ReadOnlySpan<byte> handshake)
    {
        var token = System.Text.Encoding.ASCII.GetString(handshake[TokenStart..TokenEnd]);
        var side = handshake.Length == NewFormLength
            ? System.Text.Encoding.ASCII.GetString(handshake[SideStart..SideEnd])
            : null;
        return new PairingRequest(token, side);
    }

    private static bool IsWordCharacter(byte value) =>
        value is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'_';
}

internal enum ByteVerdict
{
    Continue,
    Complete,
    Invalid,
}
