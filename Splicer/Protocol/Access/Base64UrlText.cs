using System.Buffers.Text;

namespace Splicer.Access;

/// <summary>Unpadded base64url (RFC 4648 §5), decoded strictly: one spelling per byte string.</summary>
internal static class Base64UrlText
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>Decodes <paramref name="text"/> if it is the canonical encoding of exactly <paramref name="length"/> bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, int length, out byte[] bytes)
    {
        bytes = [];
        if (text.Length != Base64Url.GetEncodedLength(length))
        {
            return false;
        }

        var decoded = new byte[length];
        var status = Base64Url.DecodeFromChars(text, decoded, out var consumed, out var written);
        if (status != System.Buffers.OperationStatus.Done || consumed != text.Length || written != length || !text.SequenceEqual(Encode(decoded)))
        {
            return false;
        }

        bytes = decoded;
        return true;
    }

    /// <summary>Decodes canonical unpadded base64url of any length up to <paramref name="maxLength"/> bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes, int maxLength)
    {
        bytes = [];
        if (text.Length == 0 || text.Length > Base64Url.GetEncodedLength(maxLength) || text.Length % 4 == 1)
        {
            return false;
        }

        return TryDecode(text, Base64Url.GetMaxDecodedLength(text.Length), out bytes);
    }
}
