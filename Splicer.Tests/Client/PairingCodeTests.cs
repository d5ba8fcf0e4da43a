using Splicer.Client.Framing;

namespace Splicer.Tests.Client;

/// <summary>The code two peers share, and what it turns into.</summary>
public sealed class PairingCodeTests
{
    [Fact]
    public void A_code_is_eleven_words_carrying_120_random_bits_and_reads_back_to_the_same_secret()
    {
        var code = PairingCode.Create();
        var text = code.Text();

        Assert.Matches("^([bdfghjklmnprstvz][aiou][bdfghjklmnprstvz][aiou]-){10}[bdfghjklmnprstvz][aiou][bdfghjklmnprstvz][aiou]$", text);
        Assert.True(PairingCode.SecretLength * 8 >= 112);
        Assert.Equal(PairingCode.DataWords * PairingCode.BitsPerWord, PairingCode.SecretLength * 8);
        Assert.Equal(code.Secret.ToArray(), PairingCode.Parse(text).Secret.ToArray());
        Assert.Equal(code.Secret.ToArray(), PairingCode.Parse(" " + text.ToUpperInvariant().Replace('-', ' ') + " ").Secret.ToArray());
    }

    [Theory]
    [InlineData("bado-kifu", "a code has 11 words")]
    [InlineData("bado-kifu-lomi-sapu-tovi-rasi-pabu-zigo-muna-hovo-ditx", "'ditx' is not a code word (word 11)")]
    public void A_malformed_code_is_refused_with_the_reason(string text, string reason)
    {
        Assert.False(PairingCode.TryParse(text, out _, out var problem));
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void Every_single_mistyped_word_is_caught_by_the_check_word_or_the_spelling()
    {
        var words = PairingCode.Create().Text().Split('-');
        var caught = 0;
        for (var i = 0; i < PairingCode.DataWords; i++)
        {
            var typo = (string[])words.Clone();
            typo[i] = typo[i][..3] + (typo[i][3] == 'a' ? 'i' : 'a');
            caught += PairingCode.TryParse(string.Join('-', typo), out _, out _) ? 0 : 1;
        }

        // A 12-bit check word lets one typo in 4 096 through; ten in a row all passing would be a broken check.
        Assert.True(caught >= 9, $"only {caught} of 10 typos caught");
    }

    [Fact]
    public void Tokens_are_64_hex_characters_that_differ_by_purpose_and_code_and_never_contain_the_code()
    {
        var code = PairingCode.Create();
        var keys = new CodeKeys(code);

        Assert.Matches("^[0-9a-f]{64}$", keys.Token("pipe"));
        Assert.Equal(keys.Token("pipe"), new CodeKeys(PairingCode.Parse(code.Text())).Token("pipe"));
        Assert.NotEqual(keys.Token("pipe"), keys.Token("transfer"));
        Assert.NotEqual(keys.Token("pipe"), new CodeKeys(PairingCode.Create()).Token("pipe"));
        Assert.DoesNotContain(Convert.ToHexStringLower(code.Secret.Span), keys.Token("pipe"));
    }

    [Fact]
    public void Session_keys_differ_by_direction_and_by_the_hellos_so_a_code_used_again_never_reuses_a_key()
    {
        var keys = new CodeKeys(PairingCode.Create());
        byte[] a = [1, 2, 3], b = [4, 5, 6], c = [7, 8, 9];

        Assert.Equal(keys.SessionKey("pipe", a, b, a), keys.SessionKey("pipe", b, a, a));
        Assert.NotEqual(keys.SessionKey("pipe", a, b, a), keys.SessionKey("pipe", a, b, b));
        Assert.NotEqual(keys.SessionKey("pipe", a, b, a), keys.SessionKey("pipe", a, c, a));
        Assert.NotEqual(keys.SessionKey("pipe", a, b, a), keys.SessionKey("transfer", a, b, a));
    }
}
