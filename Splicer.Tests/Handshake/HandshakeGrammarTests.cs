using System.Text;
using System.Text.RegularExpressions;
using Splicer.Handshake;

namespace Splicer.Tests.Handshake;

/// <summary>The incremental grammar agrees with the transit relay's own patterns on every prefix of many inputs.</summary>
public sealed partial class HandshakeGrammarTests
{
    [Fact]
    public void Grammar_accepts_exactly_what_the_reference_patterns_accept_and_refuses_at_the_first_impossible_byte()
    {
        var random = new Random(20001125);
        for (var i = 0; i < 20_000; i++)
        {
            var input = Mutate(random, Valid(random));
            var (verdict, at) = Run(input);

            var text = Encoding.Latin1.GetString(input);
            var reference = ReferenceHandshake().Match(text);
            if (reference.Success)
            {
                Assert.Equal(ByteVerdict.Complete, verdict);
                Assert.Equal(reference.Length - 1, at);
            }
            else if (verdict == ByteVerdict.Invalid)
            {
                // Refused at byte `at`: no handshake may start with the bytes up to and including it.
                Assert.False(CouldStillBecomeHandshake(text[..(at + 1)]), $"refused a viable prefix: {text[..(at + 1)]}");
                Assert.True(CouldStillBecomeHandshake(text[..at]), $"should have refused earlier: {text[..at]}");
            }
            else
            {
                Assert.Equal(ByteVerdict.Continue, verdict);
                Assert.True(CouldStillBecomeHandshake(text), $"kept reading a hopeless prefix: {text}");
            }
        }
    }

    [Theory]
    [InlineData(0, 78)]
    [InlineData(13, 65)]
    [InlineData(77, 1)]
    [InlineData(78, 26)]
    [InlineData(103, 1)]
    public void Never_asks_for_more_bytes_than_the_shortest_handshake_the_prefix_can_still_become(int accepted, int wanted) =>
        Assert.Equal(wanted, HandshakeGrammar.BytesToRead(accepted));

    private static (ByteVerdict Verdict, int At) Run(byte[] input)
    {
        for (var i = 0; i < input.Length; i++)
        {
            var verdict = HandshakeGrammar.Check(input.AsSpan(0, i), input[i]);
            if (verdict != ByteVerdict.Continue)
            {
                return (verdict, i);
            }
        }

        return (ByteVerdict.Continue, input.Length);
    }

    private static bool CouldStillBecomeHandshake(string prefix)
    {
        string[] completions =
        [
            "please relay " + new string('a', 64) + "\n",
            "please relay " + new string('a', 64) + " for side " + new string('b', 16) + "\n",
        ];
        foreach (var template in completions)
        {
            if (prefix.Length > template.Length)
            {
                continue;
            }

            var candidate = prefix + template[prefix.Length..];
            if (ReferenceHandshake().Match(candidate) is { Success: true } match && match.Length == candidate.Length)
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Valid(Random random)
    {
        const string words = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
        string Word(int length) => new(Enumerable.Range(0, length).Select(_ => words[random.Next(words.Length)]).ToArray());
        var line = random.Next(2) == 0
            ? $"please relay {Word(64)}\n"
            : $"please relay {Word(64)} for side {Word(16)}\n";
        return Encoding.ASCII.GetBytes(line);
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = valid.ToList();
        switch (random.Next(5))
        {
            case 0:
                break;
            case 1:
                bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                break;
            case 2:
                bytes.RemoveAt(random.Next(bytes.Count));
                break;
            case 3:
                bytes.Insert(random.Next(bytes.Count), (byte)random.Next(256));
                break;
            default:
                var cut = random.Next(bytes.Count);
                bytes.RemoveRange(cut, Math.Min(1 + random.Next(3), bytes.Count - cut));
                bytes.AddRange("\n"u8.ToArray());
                break;
        }

        return bytes.ToArray();
    }

    // The reference relay's patterns, anchored at the start; \w restricted to ASCII as in its bytes regex.
    [GeneratedRegex(@"\Aplease relay [A-Za-z0-9_]{64}( for side [A-Za-z0-9_]{16})?\n", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceHandshake();
}
