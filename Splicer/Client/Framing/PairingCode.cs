using System.Security.Cryptography;
using System.Text;
using Splicer.Client.Failures;

namespace Splicer.Client.Framing;

/// <summary>
/// The code two peers share: 120 random bits written as ten pronounceable four-letter words, plus one check
/// word, e.g. <c>bado-kifu-lomi-…</c>. There is no PAKE here, so the code itself is the key: long enough that no
/// one can guess it (≥ 112 bits), and the check word catches a mistyped code before it waits for a peer that
/// will never come.
/// </summary>
public sealed class PairingCode
{
    public const int SecretLength = 15;
    public const int DataWords = 10;
    public const int BitsPerWord = 12;

    private const string Consonants = "bdfghjklmnprstvz";
    private const string Vowels = "aiou";

    private PairingCode(byte[] secret) => Secret = secret;

    /// <summary>The 120 bits the words spell.</summary>
    public ReadOnlyMemory<byte> Secret { get; }

    public static PairingCode Create() => new(RandomNumberGenerator.GetBytes(SecretLength));

    public static PairingCode Parse(string text) =>
        TryParse(text, out var code, out var problem) ? code! : throw new ClientFailure($"that is not a Splicer code: {problem}", ClientFailure.Usage);

    public static bool TryParse(string text, out PairingCode? code, out string problem)
    {
        code = null;
        var words = text.Trim().ToLowerInvariant().Split(['-', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != DataWords + 1)
        {
            problem = $"a code has {DataWords + 1} words joined by '-' (this has {words.Length})";
            return false;
        }

        var values = new int[words.Length];
        for (var i = 0; i < words.Length; i++)
        {
            if (!TryReadWord(words[i], out values[i]))
            {
                problem = $"'{words[i]}' is not a code word (word {i + 1})";
                return false;
            }
        }

        var secret = Pack(values.AsSpan(0, DataWords));
        if (CheckWord(secret) != values[DataWords])
        {
            problem = "its check word does not match: a word is mistyped";
            return false;
        }

        code = new PairingCode(secret);
        problem = "";
        return true;
    }

    /// <summary>The code as people copy it; it is the key to the peers' bytes, so never log it.</summary>
    public string Text()
    {
        var values = Unpack(Secret.Span);
        return string.Join('-', values.Append(CheckWord(Secret.Span)).Select(Word));
    }

    public override string ToString() => "(a code)";

    private static int CheckWord(ReadOnlySpan<byte> secret)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData([.. "splicer code check v1\n"u8, .. secret], hash);
        return ((hash[0] << 8) | hash[1]) & ((1 << BitsPerWord) - 1);
    }

    private static string Word(int value) => new StringBuilder(4)
        .Append(Consonants[(value >> 8) & 15]).Append(Vowels[(value >> 6) & 3])
        .Append(Consonants[(value >> 2) & 15]).Append(Vowels[value & 3]).ToString();

    private static bool TryReadWord(string word, out int value)
    {
        value = 0;
        if (word.Length != 4)
        {
            return false;
        }

        int first = Consonants.IndexOf(word[0]), second = Vowels.IndexOf(word[1]), third = Consonants.IndexOf(word[2]), fourth = Vowels.IndexOf(word[3]);
        if (first < 0 || second < 0 || third < 0 || fourth < 0)
        {
            return false;
        }

        value = (first << 8) | (second << 6) | (third << 2) | fourth;
        return true;
    }

    private static int[] Unpack(ReadOnlySpan<byte> secret)
    {
        var values = new int[DataWords];
        for (var i = 0; i < DataWords; i += 2)
        {
            var offset = i / 2 * 3;
            values[i] = (secret[offset] << 4) | (secret[offset + 1] >> 4);
            values[i + 1] = ((secret[offset + 1] & 15) << 8) | secret[offset + 2];
        }

        return values;
    }

    private static byte[] Pack(ReadOnlySpan<int> values)
    {
        var secret = new byte[SecretLength];
        for (var i = 0; i < DataWords; i += 2)
        {
            var offset = i / 2 * 3;
            secret[offset] = (byte)(values[i] >> 4);
            secret[offset + 1] = (byte)(((values[i] & 15) << 4) | (values[i + 1] >> 8));
            secret[offset + 2] = (byte)values[i + 1];
        }

        return secret;
    }
}
