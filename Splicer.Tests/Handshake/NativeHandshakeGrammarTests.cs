using System.Text;
using System.Text.RegularExpressions;
using Splicer.Endings;
using Splicer.Handshake;

namespace Splicer.Tests.Handshake;

/// <summary>
/// The native grammar agrees with a reference written as regular expressions (docs/protocols.md, "Native handshake"),
/// on every prefix of many generated inputs: it completes exactly on valid lines, refuses at the first
/// impossible byte, and never asks to read past the end of the shortest line a prefix can still become.
/// </summary>
public sealed class NativeHandshakeGrammarTests
{
    private const string B64 = "[A-Za-z0-9_-]";

    // Each piece: the regex of the whole piece, and of any proper beginning of it.
    private static readonly (string Whole, string Start)[] Head = [Literal("splicer "), Literal("1 ")];

    private static readonly (string Whole, string Start)[] Relay =
    [
        Literal("relay "), Field("[A-Za-z0-9_]{64}", "[A-Za-z0-9_]{0,63}"), Literal(" "), Field("[A-Za-z0-9_]{16}", "[A-Za-z0-9_]{0,15}"), Literal(" "),
        Field(B64 + "{1,256}", B64 + "{0,256}"), Literal(" "), Field("[1-9][0-9]{0,10}", "(?:[1-9][0-9]{0,10})?"), Literal(" "),
        Field(B64 + "{85}[AQgw]", B64 + "{0,85}"),
        Field(@"(?: punch(?:=" + EndpointCharacters + "{0,191})?)?", @"(?: (?:p(?:u(?:n(?:c(?:h(?:=" + EndpointCharacters + "{0,191})?)?)?)?)?)?)?"), Literal("\n"),
    ];

    private static readonly (string Whole, string Start)[] Punched =
    [
        Literal("punched "), Field("[A-Za-z0-9_]{16}", "[A-Za-z0-9_]{0,15}"), Literal(" "), Field("[A-Za-z0-9._-]{1,16}", "[A-Za-z0-9._-]{0,16}"), Literal("\n"),
    ];

    private const string EndpointCharacters = @"[0-9A-Fa-f.:\[\],]";

    private static readonly (string Whole, string Start)[] Join =
    [
        Literal("join "), Field(B64 + "{42}[AEIMQUYcgkosw048]", B64 + "{0,42}"), Literal(" "), Field(B64 + "{42}[AEIMQUYcgkosw048]", B64 + "{0,42}"), Literal(" "),
        Field("[1-9][0-9]{0,10}", "(?:[1-9][0-9]{0,10})?"), Literal(" "), Field(B64 + "{85}[AQgw]", B64 + "{0,85}"), Literal(" "),
        Field("[A-Za-z0-9._-]{1,64}", "[A-Za-z0-9._-]{0,64}"), Literal("\n"),
    ];

    private static readonly Regex WholeLine = new(@"\A(?:" + Whole(Head) + "(?:" + Whole(Relay) + "|" + Whole(Join) + "|" + Whole(Punched) + "))\\z", RegexOptions.CultureInvariant);

    private static readonly Regex ViablePrefix = new(@"\A(?:" + Starts(Head, "(?:" + Starts(Relay, null) + "|" + Starts(Join, null) + "|" + Starts(Punched, null) + ")") + ")\\z", RegexOptions.CultureInvariant);

    [Fact]
    public void Grammar_completes_exactly_on_reference_lines_and_refuses_at_the_first_impossible_byte()
    {
        var random = new Random(20260301);
        for (var i = 0; i < 20_000; i++)
        {
            var input = Mutate(random, Valid(random));
            var (verdict, at, _) = Run(input);
            var text = Encoding.Latin1.GetString(input);

            switch (verdict)
            {
                case ByteVerdict.Complete:
                    Assert.True(WholeLine.IsMatch(text[..(at + 1)]), $"completed on a line the reference refuses: {text[..(at + 1)]}");
                    break;
                case ByteVerdict.Invalid:
                    Assert.False(IsViable(text[..(at + 1)]), $"refused a viable prefix: {text[..(at + 1)]}");
                    Assert.True(IsViable(text[..at]), $"should have refused earlier: {text[..at]}");
                    break;
                default:
                    Assert.True(IsViable(text), $"kept reading a hopeless prefix: {text}");
                    break;
            }
        }
    }

    [Fact]
    public void Every_generated_valid_line_completes_on_its_newline_and_parses_back()
    {
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var line = Valid(random);
            var (verdict, at, _) = Run(line);

            Assert.Equal(ByteVerdict.Complete, verdict);
            Assert.Equal(line.Length - 1, at);
            Assert.True(line.Length <= NativeHandshakeGrammar.MaxLength);
            var parsed = NativeHandshakeGrammar.Parse(line);
            var fields = Encoding.ASCII.GetString(line).TrimEnd('\n').Split(' ');
            switch (parsed)
            {
                case NativeRelayRequest relay:
                    Assert.Equal<string>(fields[3..8], [relay.Token, relay.Side, relay.Credential, relay.Time.ToString(), relay.Proof]);
                    Assert.Equal(fields.Length > 8 ? fields[8] : null, relay.Punch is { } punch ? PunchRequest.Format(punch.Candidates) : null);
                    break;
                case NativeJoinRequest join:
                    Assert.Equal<string>(fields[3..], [join.InviteSecret, join.DeviceKey, join.Time.ToString(), join.Proof, join.Name]);
                    break;
                case PunchReport report:
                    Assert.Equal<string>(fields[3..], [report.Ticket, report.Outcome.Name()]);
                    break;
                default:
                    Assert.Fail($"did not parse: {Encoding.ASCII.GetString(line)}");
                    break;
            }
        }
    }

    [Fact]
    public void Reading_as_much_as_it_asks_for_never_reads_past_the_line()
    {
        var random = new Random(11);
        for (var i = 0; i < 2_000; i++)
        {
            var line = Valid(random);
            var grammar = new NativeHandshakeGrammar();
            var read = 0;
            var verdict = ByteVerdict.Continue;
            while (verdict == ByteVerdict.Continue)
            {
                var wanted = grammar.BytesToRead();
                Assert.InRange(wanted, 1, line.Length - read);
                for (var end = read + wanted; read < end && verdict == ByteVerdict.Continue; read++)
                {
                    verdict = grammar.Check(line[read]);
                }
            }

            Assert.Equal(ByteVerdict.Complete, verdict);
            Assert.Equal(line.Length, read);
        }
    }

    [Fact]
    public void Is_told_apart_from_wormhole_by_its_first_byte() =>
        Assert.Equal(ByteVerdict.Invalid, new NativeHandshakeGrammar().Check((byte)'p'));

    [Theory]
    [InlineData("splicer 2 relay", NativeField.Version)]
    [InlineData("splicer 10", NativeField.Version)]
    [InlineData("splicer 1 fly", NativeField.Verb)]
    [InlineData("splicer 1 relay !", NativeField.Token)]
    [InlineData("splicer 1 join abc def", NativeField.InviteSecret)]
    public void A_refusal_names_the_part_that_was_wrong(string input, NativeField field)
    {
        var (verdict, _, grammar) = Run(Encoding.ASCII.GetBytes(input));

        Assert.Equal(ByteVerdict.Invalid, verdict);
        Assert.Equal(field, grammar.Field);
    }

    [Fact]
    public void The_longest_line_is_bounded() => Assert.Equal(652, NativeHandshakeGrammar.MaxLength);

    [Theory]
    [InlineData("punch")]
    [InlineData("punch=192.0.2.7:40000")]
    [InlineData("punch=192.0.2.7:40000,[2001:db8::7]:40000,198.51.100.9:1,203.0.113.4:65535")]
    public void A_relay_line_may_ask_for_a_brokered_direct_path(string field)
    {
        var parsed = Assert.IsType<NativeRelayRequest>(NativeHandshakeGrammar.Parse(RelayLine(" " + field)));

        Assert.Equal(field, PunchRequest.Format(parsed.Punch!.Candidates));
    }

    [Fact]
    public void A_relay_line_without_the_punch_field_asks_for_nothing() =>
        Assert.Null(Assert.IsType<NativeRelayRequest>(NativeHandshakeGrammar.Parse(RelayLine(""))).Punch);

    [Theory]
    [InlineData("punch=")]
    [InlineData("punch=192.0.2.7")]
    [InlineData("punch=192.0.2.7:0")]
    [InlineData("punch=192.0.2.07:1")]
    [InlineData("punch=2001:db8::7:1")]
    [InlineData("punch=192.0.2.7:1,")]
    [InlineData("punch=192.0.2.7:70000")]
    [InlineData("punch=192.0.2.1:1,192.0.2.2:1,192.0.2.3:1,192.0.2.4:1,192.0.2.5:1")]
    public void Punch_endpoints_that_cannot_be_read_make_the_line_unreadable(string field)
    {
        var line = RelayLine(" " + field);
        var (verdict, at, _) = Run(line);

        Assert.Equal((ByteVerdict.Complete, line.Length - 1), (verdict, at));
        Assert.Null(NativeHandshakeGrammar.Parse(line));
    }

    [Theory]
    [InlineData("splicer 1 punched 0123456789abcdef direct\n", PunchOutcome.Direct)]
    [InlineData("splicer 1 punched 0123456789abcdef relayed\n", PunchOutcome.Relayed)]
    public void A_report_names_its_ticket_and_outcome(string line, PunchOutcome outcome) =>
        Assert.Equal(new PunchReport("0123456789abcdef", outcome), NativeHandshakeGrammar.Parse(Encoding.ASCII.GetBytes(line)));

    [Fact]
    public void A_report_with_an_unknown_outcome_cannot_be_read() =>
        Assert.Null(NativeHandshakeGrammar.Parse("splicer 1 punched 0123456789abcdef maybe\n"u8));

    private static byte[] RelayLine(string punch) => Encoding.ASCII.GetBytes(
        $"splicer 1 relay {new string('t', 64)} {new string('s', 16)} Y3JlZA 1767225600 {new string('A', 86)}{punch}\n");

    [Fact]
    public void Answers_are_single_lines_in_the_documented_form()
    {
        Assert.Equal("ok expires=1767225600 bytes=unlimited sessions=3 rate=unlimited concurrent=unlimited spent=cut\n",
            Encoding.ASCII.GetString(NativeAnswers.Accepted(DateTimeOffset.FromUnixTimeSeconds(1767225600), null, 3, null, null, throttleWhenSpent: false)));
        Assert.Equal("ok expires=never bytes=10 sessions=unlimited rate=1000000 concurrent=2 spent=throttle\n",
            Encoding.ASCII.GetString(NativeAnswers.Accepted(null, 10, null, 1_000_000, 2, throttleWhenSpent: true)));
        Assert.Equal("refused door_closed the door is closed\n", Encoding.ASCII.GetString(Refusal.DoorClosed.LineWith("the door is closed")));
        Assert.Equal("refused malformed a?b\n", Encoding.ASCII.GetString(Refusal.Malformed.LineWith("a\nb")));
        Assert.Equal("paired\n", Encoding.ASCII.GetString(NativeAnswers.Paired.Span));
    }

    private static (ByteVerdict Verdict, int At, NativeHandshakeGrammar Grammar) Run(byte[] input)
    {
        var grammar = new NativeHandshakeGrammar();
        for (var i = 0; i < input.Length; i++)
        {
            var verdict = grammar.Check(input[i]);
            if (verdict != ByteVerdict.Continue)
            {
                return (verdict, i, grammar);
            }
        }

        return (ByteVerdict.Continue, input.Length, grammar);
    }

    private static bool IsViable(string prefix) => ViablePrefix.IsMatch(prefix);

    private static byte[] Valid(Random random)
    {
        const string word = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
        const string base64Url = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
        string Text(string alphabet, int length) => new(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        string Canonical(int length, string last) => Text(base64Url, length - 1) + last[random.Next(last.Length)];
        var time = (1 + random.Next(9)) + Text("0123456789", random.Next(11));
        var line = random.Next(3) switch
        {
            2 => $"splicer 1 punched {Text(word, 16)} {(random.Next(2) == 0 ? "direct" : "relayed")}\n",
            0 => $"splicer 1 relay {Text(word, 64)} {Text(word, 16)} {Text(base64Url, 1 + random.Next(256))} {time} {Canonical(86, "AQgw")}{Punch(random)}\n",
            _ => $"splicer 1 join {Canonical(43, "AEIMQUYcgkosw048")} {Canonical(43, "AEIMQUYcgkosw048")} {time} {Canonical(86, "AQgw")} {Text("abcXYZ019._-", 1 + random.Next(64))}\n",
        };
        return Encoding.ASCII.GetBytes(line);
    }

    private static string Punch(Random random)
    {
        var count = random.Next(-1, PunchRequest.MaxCandidates + 1);
        return count < 0 ? "" : " " + PunchRequest.Format(Enumerable.Range(0, count).Select(_ => random.Next(2) == 0
            ? new System.Net.IPEndPoint(new System.Net.IPAddress(random.NextInt64(1L << 32)), random.Next(1, 65536))
            : new System.Net.IPEndPoint(new System.Net.IPAddress(RandomBytes(random, 16)), random.Next(1, 65536))));
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = valid.ToList();
        switch (random.Next(6))
        {
            case 0:
                break;
            case 1:
                bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                break;
            case 2:
                bytes[random.Next(bytes.Count)] = (byte)" \n-_09Aaz"[random.Next(9)];
                break;
            case 3:
                bytes.RemoveAt(random.Next(bytes.Count));
                break;
            case 4:
                bytes.Insert(random.Next(bytes.Count), (byte)" \n-_0Aa"[random.Next(7)]);
                break;
            default:
                var cut = random.Next(bytes.Count);
                bytes.RemoveRange(cut, Math.Min(1 + random.Next(3), bytes.Count - cut));
                bytes.AddRange("\n"u8.ToArray());
                break;
        }

        return bytes.ToArray();
    }

    private static (string, string) Literal(string text)
    {
        var starts = Enumerable.Range(0, text.Length).Select(length => Regex.Escape(text[..length]));
        return (Regex.Escape(text), "(?:" + string.Join("|", starts) + ")");
    }

    private static (string, string) Field(string whole, string start) => ("(?:" + whole + ")", "(?:" + start + ")");

    private static string Whole((string Whole, string Start)[] pieces) => string.Concat(pieces.Select(piece => piece.Whole));

    /// <summary>Any proper beginning of the pieces followed by <paramref name="rest"/>: all but the last piece whole, then a start of it.</summary>
    private static string Starts((string Whole, string Start)[] pieces, string? rest)
    {
        var alternatives = new List<string>();
        for (var i = 0; i < pieces.Length; i++)
        {
            alternatives.Add(Whole(pieces[..i]) + pieces[i].Start);
        }

        if (rest is not null)
        {
            alternatives.Add(Whole(pieces) + rest);
        }

        return "(?:" + string.Join("|", alternatives) + ")";
    }
}
